/**
 * java.util.Formatter's `%f` and `%e` digits for a double: the shortest decimal that reads back
 * as the same double (Double.toString's digits, which JavaScript's number-to-string shares) is
 * rounded half-up to the precision, so 1.005 with `%.2f` is `1.01`, as Java prints it.
 */

interface Digits {
  /** Significant digits, no leading zero (a single `0` for zero). */
  digits: string;
  /** The value is 0.digits × 10^point. */
  point: number;
}

function shortest(x: number): Digits {
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), point: Number(exponent) + 1 };
}

/** The first `count` digits, rounded half-up on the next one; `point` moves when 9s carry over. */
function roundDigits({ digits, point }: Digits, count: number): Digits {
  if (count < 0) return { digits: '', point };
  if (count >= digits.length) return { digits: digits.padEnd(count, '0'), point };
  const kept = digits.slice(0, count).split('').map(Number);
  if (Number(digits[count]) >= 5) {
    let i = count - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i >= 0) kept[i] = (kept[i] as number) + 1;
    else return { digits: `1${kept.join('')}`.slice(0, Math.max(count, 1)), point: point + 1 };
  }
  return { digits: kept.join(''), point };
}

/** `%f`: the integer part and `precision` fraction digits of |x|. */
export function fixedDigits(x: number, precision: number): { integer: string; fraction: string } {
  let d = shortest(x);
  if (d.point < 0) d = { digits: '0'.repeat(-d.point) + d.digits, point: 0 };
  const rounded = roundDigits(d, d.point + precision);
  const all = rounded.digits.padEnd(rounded.point + precision, '0');
  const integer = all.slice(0, rounded.point).replace(/^0+(?=\d)/, '') || '0';
  return { integer, fraction: all.slice(rounded.point, rounded.point + precision) };
}

/** `%e`: the mantissa digits (1 + precision of them) and the decimal exponent of |x|. */
export function scientificDigits(x: number, precision: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(precision + 1), exponent: 0 };
  const rounded = roundDigits(shortest(x), precision + 1);
  return { digits: rounded.digits.padEnd(precision + 1, '0'), exponent: rounded.point - 1 };
}

/**
 * The offset letters of Java's patterns, printed and parsed: `X` and `x` (ISO offsets, `X`
 * writing `Z` for zero), `Z` (`+HHMM`; `ZZZZ` the localized `GMT+08:00`; `ZZZZZ` `+HH:MM:ss`).
 * Each count names one of DateTimeFormatterBuilder.appendOffset's patterns, where upper-case
 * `MM`/`SS` are always written and lower-case `mm`/`ss` only when not zero.
 */

interface OffsetStyle {
  colon: boolean;
  minutes: 'always' | 'nonzero' | 'never';
  seconds: 'never' | 'nonzero';
  /** The text of a zero offset. */
  zero: string;
  /** `GMT+08:00`, the localized form. */
  localized?: true;
}

const ISO_STYLES: ReadonlyArray<Omit<OffsetStyle, 'zero'>> = [
  { colon: false, minutes: 'nonzero', seconds: 'never' }, // +HHmm
  { colon: false, minutes: 'always', seconds: 'never' }, // +HHMM
  { colon: true, minutes: 'always', seconds: 'never' }, // +HH:MM
  { colon: false, minutes: 'always', seconds: 'nonzero' }, // +HHMMss
  { colon: true, minutes: 'always', seconds: 'nonzero' }, // +HH:MM:ss
];
const X_ZERO = ['+00', '+0000', '+00:00', '+0000', '+00:00'];

export function offsetStyle(letter: string, count: number): OffsetStyle {
  const iso = ISO_STYLES[count - 1] as Omit<OffsetStyle, 'zero'>;
  if (letter === 'X') return { ...iso, zero: 'Z' };
  if (letter === 'x') return { ...iso, zero: X_ZERO[count - 1] as string };
  if (count === 4) return { colon: true, minutes: 'always', seconds: 'nonzero', zero: 'GMT', localized: true };
  if (count === 5) return { ...ISO_STYLES[4]!, zero: 'Z' };
  return { ...ISO_STYLES[1]!, zero: '+0000' };
}

const two = (n: number) => String(n).padStart(2, '0');

export function printOffset(seconds: number, style: OffsetStyle): string {
  if (seconds === 0) return style.zero;
  const abs = Math.abs(seconds);
  const [h, m, s] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60];
  const sep = style.colon ? ':' : '';
  let out = `${seconds < 0 ? '-' : '+'}${two(h)}`;
  if (style.minutes === 'always' || (style.minutes === 'nonzero' && (m !== 0 || s !== 0))) {
    out += sep + two(m);
    if (style.seconds === 'nonzero' && s !== 0) out += sep + two(s);
  }
  return style.localized ? `GMT${out}` : out;
}

/** Reads an offset at `at`: its seconds and where it ends, or undefined. */
export function parseOffsetAt(text: string, at: number, style: OffsetStyle): { seconds: number; end: number } | undefined {
  if (style.localized) {
    if (!text.startsWith('GMT', at)) return undefined;
    const rest = parseSigned(text, at + 3, style);
    return rest ?? { seconds: 0, end: at + 3 };
  }
  return parseSigned(text, at, style) ?? (text.startsWith(style.zero, at) ? { seconds: 0, end: at + style.zero.length } : undefined);
}

function parseSigned(text: string, at: number, style: OffsetStyle): { seconds: number; end: number } | undefined {
  const sign = text[at];
  if (sign !== '+' && sign !== '-') return undefined;
  const hours = digits2(text, at + 1);
  if (hours === undefined || hours > 18) return undefined;
  let end = at + 3;
  let minutes = 0;
  let seconds = 0;
  const part = (pos: number) => {
    if (style.colon && text[pos] !== ':') return undefined;
    const value = digits2(text, pos + (style.colon ? 1 : 0));
    return value === undefined || value > 59 ? undefined : { value, end: pos + (style.colon ? 3 : 2) };
  };
  if (style.minutes !== 'never') {
    const m = part(end);
    if (!m && style.minutes === 'always') return undefined;
    if (m) {
      minutes = m.value;
      end = m.end;
      const s = style.seconds === 'nonzero' ? part(end) : undefined;
      if (s) {
        seconds = s.value;
        end = s.end;
      }
    }
  }
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > 18 * 3600) return undefined;
  return { seconds: sign === '-' ? -total : total, end };
}

function digits2(text: string, at: number): number | undefined {
  const s = text.slice(at, at + 2);
  return /^\d\d$/.test(s) ? Number(s) : undefined;
}

/**
 * Java's DateTimeFormatter patterns (DateTimeFormatter.ofPattern, Java 8, English), compiled to
 * a list of items. Keyway prints and parses a subset of the pattern letters (SUPPORTED, README
 * "Claims and the PingOne expression language"); a pattern Java itself refuses is `invalid` (the
 * `#datetime` functions then return null, as PingOne documents), one using a letter Java has but
 * Keyway does not is `unsupported` (refused when written, an evaluation error otherwise).
 */

export type PatternItem =
  | { kind: 'text'; text: string }
  | { kind: 'field'; letter: string; count: number }
  | { kind: 'optional'; items: PatternItem[] };

export type CompiledPattern =
  | { ok: true; items: PatternItem[] }
  | { ok: false; unsupported: boolean; reason: string };

/** Supported letters and the most of each in a row Java accepts (`V` must be exactly `VV`). */
const SUPPORTED: Readonly<Record<string, number>> = {
  y: 19, u: 19, Y: 19, M: 5, L: 5, Q: 5, q: 5, d: 2, D: 3, E: 5, a: 1,
  h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, X: 5, x: 5, Z: 5, z: 4, V: 2,
};

/** Letters Java's patterns define that Keyway does not print or parse. */
const UNSUPPORTED = new Set(['G', 'e', 'c', 'F', 'w', 'W', 'A', 'n', 'N', 'O', 'p']);

const RESERVED = new Set(['{', '}', '#']);

const invalid = (reason: string): CompiledPattern => ({ ok: false, unsupported: false, reason });

/** Compiles a pattern; the caller bounds its length. */
export function compilePattern(pattern: string): CompiledPattern {
  const stack: PatternItem[][] = [[]];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    const items = stack[stack.length - 1] as PatternItem[];
    if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      const problem = checkLetter(c, count);
      if (problem) return problem;
      items.push({ kind: 'field', letter: c, count });
      i += count;
    } else if (c === "'") {
      const quoted = readQuoted(pattern, i);
      if (quoted === undefined) return invalid('an unclosed quote');
      items.push({ kind: 'text', text: quoted.text });
      i = quoted.end;
    } else if (c === '[') {
      const optional: PatternItem[] = [];
      items.push({ kind: 'optional', items: optional });
      stack.push(optional);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) return invalid("a ']' without a '['");
      stack.pop();
      i++;
    } else if (RESERVED.has(c)) {
      return invalid(`the reserved character ${c}`);
    } else {
      items.push({ kind: 'text', text: c });
      i++;
    }
  }
  return { ok: true, items: stack[0] as PatternItem[] };
}

function checkLetter(letter: string, count: number): CompiledPattern | undefined {
  if (UNSUPPORTED.has(letter)) return { ok: false, unsupported: true, reason: `pattern letter ${letter} is not supported` };
  const most = SUPPORTED[letter];
  if (most === undefined) return invalid(`unknown pattern letter ${letter}`);
  if (count > most || (letter === 'V' && count !== 2)) return invalid(`too many pattern letters ${letter}`);
  return undefined;
}

/** `'text'`, with `''` a quote inside or on its own. */
function readQuoted(pattern: string, start: number): { text: string; end: number } | undefined {
  let text = '';
  let i = start + 1;
  if (pattern[i] === "'") return { text: "'", end: i + 1 };
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      if (pattern[i + 1] !== "'") return { text, end: i + 1 };
      text += "'";
      i += 2;
    } else text += pattern[i++] as string;
  }
  return undefined;
}

/** Items of a compiled pattern, optional sections included, for cost accounting. */
export function itemCount(items: readonly PatternItem[]): number {
  return items.reduce((n, item) => n + (item.kind === 'optional' ? 1 + itemCount(item.items) : 1), 0);
}

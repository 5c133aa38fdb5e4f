/**
 * Detects repeated member names in a JSON text. `JSON.parse` silently keeps the last duplicate,
 * while RFC 7517 §4 lets a JWK parser either do that or reject; Keyway rejects, so that the stored
 * string and the parsed key set cannot be read differently by another parser.
 */

interface Frame {
  /** Member names seen so far; null for arrays. */
  names: Set<string> | null;
  expectingName: boolean;
}

/**
 * Returns the first member name that appears twice in one object, or undefined.
 * Precondition: `json` already passed `JSON.parse`, so the scan can skip full grammar checks.
 */
export function findDuplicateMember(json: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    const top = stack[stack.length - 1];
    if (ch === '{') stack.push({ names: new Set(), expectingName: true });
    else if (ch === '[') stack.push({ names: null, expectingName: false });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && top?.names) top.expectingName = true;
    else if (ch === ':' && top) top.expectingName = false;
    else if (ch === '"') {
      const end = stringEnd(json, i);
      if (top?.names && top.expectingName) {
        // Decode escapes so that "kid" and "\u006bid" count as the same name. A name without a
        // backslash is its own text (JSON.parse already refused control characters in it), so
        // only an escaped name costs a parse: this runs on every client assertion.
        const raw = json.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(json.slice(i, end + 1)) as string) : raw;
        if (top.names.has(name)) return name;
        top.names.add(name);
      }
      i = end;
    }
  }
  return undefined;
}

/**
 * Index of the closing quote of the string literal opening at `start`: the next quote that an
 * even number of backslashes precedes (found with indexOf, not character by character).
 */
function stringEnd(json: string, start: number): number {
  let quote = json.indexOf('"', start + 1);
  while (quote > 0) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = json.indexOf('"', quote + 1);
  }
  return json.length;
}

const BACKSLASH = 0x5c;

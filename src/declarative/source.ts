/**
 * A configuration file's text as a value plus where each of its parts is: YAML 1.2 (of which
 * JSON is a subset, so one reader serves both) read with the `yaml` package, and a table from
 * every JSON pointer (RFC 6901) of the value to the line it starts on, so that an error found
 * later, here or by the server, names the file's line.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigurationError, type ConfigurationIssue } from './errors.js';

export interface ConfigurationSource {
  /** The file's name as the user gave it, or a label such as `<document>`. */
  file: string;
  value: unknown;
  /** Pointer (`/environments/0/name`) → 1-based line. */
  lines: ReadonlyMap<string, number>;
}

/** Escapes one pointer segment (RFC 6901 §3). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseSource(file: string, text: string): ConfigurationSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues: ConfigurationIssue[] = doc.errors.map((e) => ({
      pointer: '',
      line: lineCounter.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw new ConfigurationError(file, issues);
  }
  const lines = new Map<string, number>();
  const walk = (node: Node | null | undefined, pointer: string, keyLine?: number): void => {
    const line = keyLine ?? (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
    if (line !== undefined) lines.set(pointer, line);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
        walk(pair.value as Node | null, `${pointer}/${pointerSegment(key)}`, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, `${pointer}/${i}`));
    }
  };
  walk(doc.contents as Node | null, '');
  return { file, value: doc.toJS({ maxAliasCount: 100 }), lines };
}

/**
 * The line of `pointer`, or of its nearest ancestor the file has (a missing field is reported on
 * the line of the object that lacks it).
 */
export function lineOf(lines: ReadonlyMap<string, number>, pointer: string): number | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const line = lines.get(p);
    if (line !== undefined) return line;
    if (p === '') return undefined;
  }
}

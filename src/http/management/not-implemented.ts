/**
 * Which PingOne operation a request names, for the requests no Keyway route serves: those get
 * 501 `NOT_IMPLEMENTED` naming the operation (a Keyway extension, see the README), any other
 * unknown path keeps its 404. Only requests that reach the not-found handler or a 405 answer are
 * matched, so a served template (`/v1/environments/{envId}/applications/{appId}`) still answers
 * 404 for an id that does not exist.
 */
import { PINGONE_OPERATIONS } from './pingone-operations.js';

interface Template {
  method: string;
  segments: readonly string[];
  /** Segments that are not `{param}`: the more, the more specific the template. */
  literals: number;
  name: string;
}

const isParam = (segment: string): boolean => segment.startsWith('{') && segment.endsWith('}');

const TEMPLATES: readonly Template[] = PINGONE_OPERATIONS.map(([method, path, operationId]) => {
  const segments = path.split('/').slice(1);
  return { method, segments, literals: segments.filter((s) => !isParam(s)).length, name: `${operationId} (${method} ${path})` };
});

/** "operationId (METHOD /v1/template)" of the PingOne operation `method url` names, if any. */
export function pingOneOperationOf(method: string, url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/').slice(1);
  let best: Template | undefined;
  for (const template of TEMPLATES) {
    if (template.method !== method || !matches(template.segments, segments)) continue;
    if (best === undefined || template.literals > best.literals) best = template;
  }
  return best?.name;
}

function matches(template: readonly string[], segments: readonly string[]): boolean {
  if (template.length !== segments.length) return false;
  return template.every((part, i) => {
    const segment = segments[i] ?? '';
    return isParam(part) ? segment !== '' : part === safeDecode(segment);
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

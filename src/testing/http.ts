/**
 * The one HTTP call the helpers make: `fetch` against the running server, the body parsed as
 * JSON when it is JSON (the management, flow and OAuth APIs all answer JSON), else kept as text.
 */

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON; the text for another media type; undefined for an empty body. */
  body: unknown;
}

export async function send(url: string, init: RequestInit): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBody(text, response.headers.get('content-type')) };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json') ? JSON.parse(text) : text;
}

/** An `application/x-www-form-urlencoded` body, as RFC 6749 §4.1.3 and §4.4.2 send requests. */
export function formBody(params: Record<string, string | undefined>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, value);
  return form;
}

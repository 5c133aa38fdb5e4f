/**
 * multipart/form-data bodies (RFC 7578), read whole: the parts by name, each with its bytes and
 * file name. Only the management paths that take an upload accept them; elsewhere the media type
 * stays unsupported (415).
 */

export interface FormPart {
  data: Buffer;
  filename?: string;
}

/** A parsed multipart body, told apart from a JSON body by its class. */
export class MultipartForm {
  constructor(readonly parts: ReadonlyMap<string, FormPart>) {}

  text(name: string): string | undefined {
    return this.parts.get(name)?.data.toString('utf8');
  }
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** RFC 2046 §5.1.1: the boundary parameter, quoted or not, 1 to 70 characters. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The parts by name (a repeated name keeps its first part), or undefined when the body is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartForm | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, FormPart>();
  let at = body.indexOf(delimiter);
  if (at === -1) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return new MultipartForm(parts);
    if (!body.subarray(at, at + 2).equals(CRLF)) return undefined;
    const headersEnd = body.indexOf(HEADERS_END, at);
    if (headersEnd === -1) return undefined;
    const headers = body.subarray(at + 2, headersEnd).toString('latin1');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headersEnd + 4);
    if (next === -1) return undefined;
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (!parts.has(name)) parts.set(name, { data: body.subarray(headersEnd + 4, next), ...(filename === undefined ? {} : { filename }) });
    at = next + CRLF.length;
  }
}

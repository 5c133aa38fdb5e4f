/**
 * A tiny escaping template: `html\`<p>${value}</p>\`` escapes every interpolated value unless it
 * is itself `Html` (built by `html` or explicitly by `raw`). Arrays are joined.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

type Value = Html | string | number | undefined | null | false | readonly Value[];

function render(value: Value): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map((v: Value) => render(v)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Trusted markup, inserted as is. Never pass user input. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A rendered page and what its Content-Security-Policy must allow. */
export interface Page {
  status: number;
  body: string;
  /** Nonce for the page's `<style>` (and `<script>`, if any). */
  nonce: string;
  /** Origins forms may post to, besides 'self'. */
  formAction: readonly string[];
  script: boolean;
}

const SIGN_ON_STYLE = raw(`body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}
.error{color:#a4000f;border:1px solid #a4000f;padding:.5rem;margin-top:1rem}`);

/** The document frame of every page: language, viewport, no referrer, one nonce'd stylesheet. */
export function documentFrame(title: string, nonce: string, style: Html, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style nonce="${nonce}">
${style}
</style>
</head>
<body>
${body}
</body>
</html>
`.value;
}

/** The sign-on and message pages' frame: the shared document with their stylesheet. */
export function layout(title: string, nonce: string, content: Html, script?: Html): string {
  return documentFrame(title, nonce, SIGN_ON_STYLE, html`<main>
${content}
</main>
${script}`);
}

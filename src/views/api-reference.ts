/**
 * The reference page of Keyway's OpenAPI description (README, "Keyway's API description"):
 * plain HTML, one table per tag, Keyway's extensions marked; no script, no external resource.
 */
import { documentFrame, html, raw } from './html.js';

export interface ReferenceRow {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  extension: boolean;
}

export function apiReferencePage(nonce: string, title: string, documentPath: string, rows: readonly ReferenceRow[]): string {
  const tags = [...new Set(rows.map((r) => r.tag))].sort((a, b) => a.localeCompare(b));
  const extensions = rows.filter((r) => r.extension).length;
  const sections = tags.map((tag) => {
    const own = rows.filter((r) => r.tag === tag);
    return html`<section>
<h2 id="${slug(tag)}">${tag}</h2>
<table>
<thead><tr><th>method</th><th>path</th><th>operation</th><th>summary</th></tr></thead>
<tbody>
${own.map(
  (r) => html`<tr${r.extension ? raw(' class="ext"') : ''}><td class="m ${r.method.toLowerCase()}">${r.method}</td><td><code>${r.path}</code></td><td><code>${r.operationId}</code>${r.extension ? html` <span class="badge">Keyway extension</span>` : ''}</td><td>${r.summary}</td></tr>
`,
)}</tbody>
</table>
</section>
`;
  });
  return documentFrame(
    title,
    nonce,
    REFERENCE_STYLE,
    html`<h1>${title}</h1>
<p>${rows.length} operations, ${extensions} of them Keyway extensions. The machine-readable description: <a href="${documentPath}"><code>${documentPath}</code></a> (OpenAPI 3). Operations of PingOne's management API that are not listed answer <code>501 NOT_IMPLEMENTED</code>.</p>
<nav>${tags.map((t) => html`<a href="#${slug(t)}">${t}</a>`)}</nav>
${sections}`,
  );
}

const REFERENCE_STYLE = raw(`body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem;font-size:.9rem}
th,td{text-align:left;border-bottom:1px solid #ddd;padding:.3rem .5rem;vertical-align:top}
td.m{font-weight:700;font-family:ui-monospace,monospace}
td code{overflow-wrap:anywhere}
.get{color:#0b6e2e}.post{color:#8a5a00}.put{color:#0b4f8a}.patch{color:#6b3fa0}.delete{color:#a4000f}
tr.ext{background:#f4f1ff}
.badge{font-size:.75rem;background:#5b3cc4;color:#fff;border-radius:.25rem;padding:0 .3rem;white-space:nowrap}
nav a{margin-right:.75rem}`);

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

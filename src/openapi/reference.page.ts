import { html, page, raw, type Raw } from '../pages/html.js';

type Json = Record<string, any>;

const schemaText = (schema: unknown) => JSON.stringify(schema, null, 2);
const refName = (schema: Json | undefined) => (typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined);

function schemaBlock(schema: Json | undefined): Raw | string {
  if (!schema) return '';
  const name = refName(schema);
  return name ? html`<a href="#schema-${name}"><code>${name}</code></a>` : html`<pre><code>${schemaText(schema)}</code></pre>`;
}

/** Who may call it, in words: nobody named (public), a key or a session, or a session only. */
function access(security: Json[] | undefined): string {
  if (!security) return '';
  return security.length === 1 && 'session' in security[0]!
    ? ' (chỉ phiên đăng nhập bảng điều khiển / console session only)'
    : ' (khóa quản trị hoặc phiên đăng nhập / admin key or console session)';
}

function operation(method: string, path: string, op: Json): Raw {
  const params = (op.parameters ?? []) as Json[];
  return html`
<section class="op" id="${op.operationId}">
<h3><span class="method">${method.toUpperCase()}</span> <code>${path}</code></h3>
<p>${op.summary}${access(op.security)}</p>
${params.length ? html`<table><caption>Tham số (parameters)</caption><thead><tr><th scope="col">Tên</th><th scope="col">Ở đâu</th><th scope="col">Bắt buộc</th><th scope="col">Kiểu</th></tr></thead><tbody>
${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'có' : 'không'}</td><td><code>${JSON.stringify(p.schema)}</code></td></tr>`)}
</tbody></table>` : ''}
${op.requestBody ? html`<h4>Nội dung gửi (request body)</h4>${schemaBlock(op.requestBody.content['application/json'].schema)}` : ''}
<h4>Trả lời (responses)</h4>
<ul>${Object.entries(op.responses as Record<string, Json>).map(([status, r]) => {
    // An export answers JSON, CSV or XLSX: each type it may send.
    const types = Object.entries((r.content ?? {}) as Record<string, Json>);
    const headers = Object.keys((r.headers ?? {}) as Record<string, Json>);
    return html`<li><strong>${status}</strong> ${r.description}${headers.length ? html` (${headers.map((h) => html`<code>${h}</code> `)})` : ''}${types.map(([type, c]) => html` — <code>${type}</code> ${schemaBlock(c?.schema)}`)}</li>`;
  })}</ul>
</section>`;
}

/** The document as a page a person can read (no script: the service's CSP stays strict). */
export function referencePage(doc: Json): string {
  const tags = (doc.tags as { name: string }[]).map((t) => t.name);
  const byTag = (tag: string) =>
    Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, Json>)
        .filter(([, op]) => op.tags?.[0] === tag)
        .map(([method, op]) => operation(method, path, op)),
    );
  const body = html`
<main class="ref">
<h1>ykien API ${doc.info.version}</h1>
<p>${doc.info.description}</p>
<p>Máy đọc được (machine-readable): <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${doc.openapi}).</p>
<nav aria-label="Mục lục"><ul>${tags.map((t) => html`<li><a href="#tag-${t.replace(/\W+/g, '-')}">${t}</a></li>`)}<li><a href="#schemas">Schemas</a></li></ul></nav>
${tags.map((t) => html`<section id="tag-${t.replace(/\W+/g, '-')}"><h2>${t}</h2>${byTag(t)}</section>`)}
<section id="schemas"><h2>Schemas</h2>
${Object.entries(doc.components.schemas as Record<string, Json>).map(([name, s]) => html`<section id="schema-${name}"><h3><code>${name}</code></h3><pre><code>${schemaText(s)}</code></pre></section>`)}
</section>
</main>`;
  return page({ title: 'ykien API', css: '/p.css', body: raw(body.html), lang: 'vi' });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, expect } from 'vitest';
import { openApiDocument } from '../../src/openapi/document.js';

type Json = Record<string, any>;

const doc = openApiDocument() as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'doc', components: doc.components });

const rebase = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(rebase) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith('#/') ? `doc${x}` : rebase(x)])) : v;

interface Route {
  method: string;
  pattern: RegExp;
  path: string;
  responses: Record<string, Json>;
}
const routes: Route[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
  Object.entries(ops as Record<string, Json>).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
    responses: op.responses,
  })),
);
// A literal segment before a {param} one where both match (/v1/admin/surveys/templates before /v1/admin/surveys/{id}), as Express mounts them.
const shape = (path: string) => path.split('/').map((seg) => (seg.startsWith('{') ? '1' : '0')).join('');
routes.sort((a, b) => (shape(a.path) < shape(b.path) ? -1 : shape(a.path) > shape(b.path) ? 1 : 0));
const compiled = new Map<string, ValidateFunction>();
const validator = (key: string, schema: unknown) => {
  let v = compiled.get(key);
  if (!v) compiled.set(key, (v = ajv.compile(rebase(schema) as object)));
  return v;
};

/** Responses that did not match the document in the current test. */
const mismatches: string[] = [];
afterEach(() => {
  const found = mismatches.splice(0);
  expect(found, 'responses that the OpenAPI document (src/openapi/) does not describe').toEqual([]);
});

/** Checks one finished response against the document; undocumented operations are not checked here (tests/openapi.test.ts lists them). */
export function checkResponse(method: string, url: string, status: number, contentType: string | undefined, body: Buffer): void {
  const path = url.split('?')[0]!;
  const route = routes.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return;
  const where = `${method} ${route.path} → ${status}`;
  const answer = route.responses[String(status)] ?? (status >= 400 ? route.responses.default : undefined);
  if (!answer) return void mismatches.push(`${where}: this status is not in the document`);
  const listed = Object.entries((answer.content ?? {}) as Record<string, Json>);
  if (!listed.length) return;
  const [type, content] = listed.find(([t]) => contentType?.startsWith(t)) ?? [];
  if (!type) return void mismatches.push(`${where}: content type ${contentType}, the document says ${listed.map(([t]) => t).join(' or ')}`);
  if (!/json/.test(type)) return;
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return void mismatches.push(`${where}: not JSON`);
  }
  const validate = validator(`${where} ${type}`, content!.schema);
  if (!validate(data)) mismatches.push(`${where}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(data).slice(0, 300)}`);
}

/** The app's handler, with every answer checked against the document once it is sent. */
export function checkedAgainstDocument(app: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const url = req.url ?? '/'; // Express rewrites req.url as routers match
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
    const keep = (c: unknown, enc?: unknown) => {
      if (c === undefined || c === null || typeof c === 'function') return;
      chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8'));
    };
    res.write = ((c: unknown, ...rest: unknown[]) => (keep(c, rest[0]), write(c, ...rest))) as typeof res.write;
    res.end = ((c?: unknown, ...rest: unknown[]) => (keep(c, rest[0]), end(c, ...rest))) as typeof res.end;
    // The fast lane writes its headers in one writeHead(status, pairs), which getHeader() does not see afterwards.
    let written: string | undefined;
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const pairs = rest.find((r) => Array.isArray(r)) as string[] | undefined;
      for (let i = 0; pairs && i < pairs.length; i += 2) if (String(pairs[i]).toLowerCase() === 'content-type') written = String(pairs[i + 1]);
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
    res.on('finish', () =>
      checkResponse(req.method ?? 'GET', url, res.statusCode, (res.getHeader('content-type') as string | undefined) ?? written, Buffer.concat(chunks)),
    );
    app(req, res);
  };
}

import { z } from 'zod';
import { VERSION } from '../version.js';
import { OPERATIONS, type Operation } from './operations.js';
import { problem } from './schemas.js';

type Json = Record<string, unknown>;

/** "/v1/polls/:id" → "/v1/polls/{id}" and its path parameters. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  return { path: path.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => (params.push(name), `{${name}}`)), params };
}

const REF = (id: string) => `#/components/schemas/${id}`;

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses): a $ref when it is a named component. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const named = z.globalRegistry.get(schema)?.id;
  if (named && io === 'output') return { $ref: REF(named) };
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12', reused: 'inline' }) as Json;
  delete out.$schema;
  return out;
}

/** Query parameters, one per property of the query schema (arrays repeat the name: ?thread=a&thread=b). */
function queryParams(schema: z.ZodType): Json[] {
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema: p,
    ...(p.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
}

function operation(op: Operation): Json {
  const { params } = openApiPath(op.path);
  const responses: Json = {};
  for (const [status, a] of Object.entries(op.responses)) {
    // A download may come as JSON, CSV or XLSX: each type it may send, the JSON one by its schema when it has one.
    const others = Object.fromEntries([a.content ?? []].flat().map((type) => [type, { schema: /json/.test(type) ? { type: 'object' } : { type: 'string' } }]));
    const content = a.schema || a.content
      ? { ...others, ...(a.schema && { 'application/json': { schema: jsonSchema(a.schema, 'output') } }) }
      : Number(status) >= 400
        ? { 'application/problem+json': { schema: { $ref: REF('Problem') } } }
        : undefined;
    const headers = a.headers && Object.fromEntries(Object.entries(a.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
    responses[status] = { description: a.description, ...(headers && { headers }), ...(content && { content }) };
  }
  responses.default = { description: 'Any other refusal, as problem+json with a stable `code`.', content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } } };
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    operationId: `${op.method}${op.path.replace(/[/:](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
    parameters: [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(op.query ? queryParams(op.query) : []),
      // A session's writes prove they come from the console's own page; a key (no cookie) needs none.
      ...(op.auth && op.method !== 'get' ? [{ name: 'X-CSRF-Token', in: 'header', required: op.auth === 'session', description: 'With a session: its `csrfToken` (GET /v1/session).', schema: { type: 'string' } }] : []),
    ],
    ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }),
    responses,
    ...(op.auth && { security: op.auth === 'session' ? [{ session: [] }] : [{ bearer: [] }, { session: [] }] }),
  };
}

let built: Json | undefined;

/** The OpenAPI 3.1 document of the API, built once from the routes' own zod schemas. */
export function openApiDocument(): Json {
  if (built) return built;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) (paths[openApiPath(op.path).path] ??= {})[op.method] = operation(op);
  // Every named answer (schemas.ts), each once, referring to the others by $ref.
  const components = z.toJSONSchema(z.globalRegistry, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', uri: REF }) as { schemas: Record<string, Json> };
  for (const c of Object.values(components.schemas)) delete c.$schema;
  void problem; // registered as "Problem" by importing it
  built = {
    openapi: '3.1.1',
    info: {
      title: 'ykien',
      version: VERSION,
      description: 'Polls, surveys, reader comments and view counters for Vietnamese portals. The guide is docs/api.md; this document is generated from the schemas the service validates with.',
    },
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`ykien keys create`).' },
        session: { type: 'apiKey', in: 'cookie', name: 'ykien_session', description: 'The console\'s session (`__Host-ykien_session` over https); writes also send X-CSRF-Token (the session\'s `csrfToken`).' },
      },
    },
  };
  return built;
}

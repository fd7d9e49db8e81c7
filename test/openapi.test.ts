/**
 * The OpenAPI document against the running Worker: every path and method it lists is sent hostile
 * requests, and each answer must be one the document lists, in the shape it gives; the parameters'
 * bounds as the document states them are accepted, one step past them rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeConnections, type Fetched, httpSend } from '../dev/load.ts';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { SITE } from './support/addresses.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;
let doc: OpenApi;

interface Schema {
  type?: string;
  minimum?: number;
  maximum?: number;
  default?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  const?: unknown;
  properties?: Record<string, Schema>;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  schema: Schema;
}
interface Response {
  $ref?: string;
  description: string;
  headers?: Record<string, { $ref?: string; schema?: Schema }>;
  content?: { 'application/json': { schema: Schema } };
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, Response>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response>; headers: Record<string, { schema: Schema }> };
}

beforeAll(async () => {
  db = await startDatabase(generatedDocuments(21));
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: SITE, bindings: { L1_CACHE: 'off' } });
  doc = (await (await worker.fetch('/api/openapi.json')).json()) as OpenApi;
});
afterAll(async () => {
  closeConnections();
  await worker?.dispose();
  await db?.close();
});

const resolve = (response: Response): Response =>
  response.$ref ? (doc.components.responses[response.$ref.split('/').pop() ?? ''] as Response) : response;
const headerSchema = (header: { $ref?: string; schema?: Schema }): Schema | undefined =>
  header.$ref ? doc.components.headers[header.$ref.split('/').pop() ?? '']?.schema : header.schema;

/** Whether the document's schema admits `value` as sent in a URL (what the descriptions say). */
function admits(schema: Schema, value: string): boolean {
  if (schema.type === 'integer') {
    // "a whole number … in decimal digits (no sign, decimal point or exponent)"
    const n = Number(value);
    return /^[0-9]+$/.test(value) && n >= (schema.minimum ?? 0) && n <= (schema.maximum ?? Infinity);
  }
  // JSON Schema counts code points; its patterns are ECMA-262 with the u flag.
  const length = [...value].length;
  return (
    length >= (schema.minLength ?? 0) &&
    length <= (schema.maxLength ?? Infinity) &&
    (schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(value))
  );
}

/** Values for a parameter: at and just past its stated bounds, and what scanners and typos send. */
function hostileValues(schema: Schema): string[] {
  if (schema.type === 'integer') {
    const min = schema.minimum ?? 0;
    const max = schema.maximum ?? 0;
    return [
      ...[min, max, min - 1, max + 1, schema.default ?? min].map(String),
      `000${min}`,
      '',
      'abc',
      '1.5',
      '1.0',
      '1e1',
      '+1',
      '-1',
      ' 1',
      '0x10',
      '١',
      '9'.repeat(400),
      'NaN',
      'Infinity',
    ];
  }
  const max = schema.maxLength ?? 0;
  return [
    'werkgevers',
    '',
    ' ',
    '\t\n',
    ' banen ',
    'a'.repeat(max),
    'a'.repeat(max + 1),
    '😀'.repeat(max),
    '😀'.repeat(max + 1),
    ` ${'a'.repeat(max - 2)} `,
    ` ${'a'.repeat(max - 1)} `,
    '"',
    '*',
    'NEAR(a b)',
    'a OR b AND NOT c',
    "'; drop table articles; --",
    '<script>alert(1)</script>',
    '\u0000',
    '\uFFFD',
  ];
}

// Path parameters: an article that exists, one that does not, and what is outside the slug alphabet.
const SLUGS = [
  'bericht-nummer-1',
  'bestaat-niet',
  'Hoofdletters',
  'a--b',
  '%3Cscript%3E',
  'caf%C3%A9',
  'a'.repeat(300),
];
// What a required parameter is given when another one is varied (the database has no pages: a 404).
const VALID_QUERY: Record<string, string> = { q: 'werkgevers', path: '/organisatie/achtergrond/' };
/** The required query parameters of an operation, given their valid values: `?…` or ''. */
const requiredQuery = (operation: Operation | undefined) => {
  const search = new URLSearchParams();
  for (const p of operation?.parameters ?? []) {
    if (p.in === 'query' && p.required) search.set(p.name, VALID_QUERY[p.name] ?? '');
  }
  return search.size ? `?${search}` : '';
};
const CONDITIONAL: Record<string, string>[] = [
  { 'If-None-Match': '*' },
  { 'If-None-Match': '"nope", W/"other"' },
  { 'If-Modified-Since': '2030' },
  { 'If-Modified-Since': 'Sun, 06 Nov 1994 08:49:37 GMT' },
  { 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
];

/** Every request to send for one operation: each parameter varied on its own, then the headers. */
function requestsFor(
  path: string,
  operation: Operation,
): { path: string; headers?: Record<string, string> }[] {
  const params = operation.parameters ?? [];
  const query = params.filter((p) => p.in === 'query');
  const bases = params.some((p) => p.in === 'path')
    ? SLUGS.map((slug) => path.replace('{slug}', slug))
    : [path];
  const base = (overrides: Record<string, string | null>) => {
    const search = new URLSearchParams();
    for (const p of query) {
      const value = p.name in overrides ? overrides[p.name] : p.required ? VALID_QUERY[p.name] : undefined;
      if (value !== undefined && value !== null) search.set(p.name, value);
    }
    return search.size ? `?${search}` : '';
  };
  const requests: { path: string; headers?: Record<string, string> }[] = bases.map((b) => ({
    path: `/api${b}${base({})}`,
  }));
  const first = `/api${bases[0]}`;
  for (const p of query) {
    for (const value of hostileValues(p.schema))
      requests.push({ path: `${first}${base({ [p.name]: value })}` });
    requests.push({ path: `${first}${base({ [p.name]: null })}` });
    // Twice, and percent escapes that are not UTF-8 or not escapes at all.
    requests.push({ path: `${first}${base({})}${base({}) ? '&' : '?'}${p.name}=1&${p.name}=2` });
    requests.push({ path: `${first}?${p.name}=%ZZ&${p.name}2=%F0%9F` });
  }
  for (const headers of CONDITIONAL) requests.push({ path: `${first}${base({})}`, headers });
  return requests;
}

// The refused methods that carry content get some, with its length: Node sends the requests of some
// methods without one, and the server would read the body as the start of the next request.
const WITH_BODY = ['POST', 'PUT', 'PATCH', 'DELETE'];
const BODY = '{"tags":["site"]}';

function send(method: string, path: string, headers?: Record<string, string>): Promise<Fetched> {
  const withBody = WITH_BODY.includes(method);
  return httpSend(`${new URL(worker.url).origin}/`, {
    method,
    path,
    headers: {
      ...headers,
      ...(method === 'OPTIONS' && { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' }),
      ...(withBody && { 'Content-Type': 'application/json', 'Content-Length': String(BODY.length) }),
    },
    // A connection of its own: the server may close it when it answers without reading the body.
    ...(withBody && { body: BODY, agent: false }),
  });
}

/** The answer is one the operation lists, with the headers and the error code the document gives. */
function expectListed(operation: Operation, method: string, path: string, answer: Fetched) {
  const what = `${method} ${path.slice(0, 120)} → ${answer.status}`;
  expect(Object.keys(operation.responses), what).toContain(String(answer.status));
  const response = resolve(operation.responses[String(answer.status)] as Response);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = answer.headers[name.toLowerCase()];
    expect(value, `${what}: ${name}`).toBeDefined();
    const schema = headerSchema(header);
    if (schema?.const !== undefined) expect(String(value), `${what}: ${name}`).toBe(String(schema.const));
  }
  const code = response.content?.['application/json'].schema.properties?.error?.properties?.code?.const;
  if (code !== undefined && method !== 'HEAD') {
    expect(answer.headers['content-type'], what).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body.toString()).error.code, what).toBe(code);
  }
  if (method === 'HEAD' || answer.status === 304 || answer.status === 204) {
    expect(answer.body.length, what).toBe(0);
  }
}

describe('the OpenAPI document against the running Worker', () => {
  it('lists every method of every path: reads, the CORS preflight, and 405 for the rest', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(Object.keys(item).sort(), path).toEqual(
        ['delete', 'get', 'head', 'options', 'patch', 'post', 'put', 'trace'].sort(),
      );
      expect(Object.keys(item.get?.responses ?? {}), path).toEqual(
        expect.arrayContaining(['200', '304', '503']),
      );
    }
  });

  it('answers hostile requests to each path and method only with statuses the document lists', async () => {
    const seen = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const verb = method.toUpperCase();
        const requests = requestsFor(path, operation);
        // The refused methods answer before anything is read: a few requests show it.
        for (const request of verb === 'GET' || verb === 'HEAD' ? requests : requests.slice(0, 3)) {
          const answer = await send(verb, request.path, request.headers).catch((e) => {
            throw new Error(`${verb} ${request.path} ${JSON.stringify(request.headers)}: ${e}`);
          });
          expectListed(operation, verb, request.path, answer);
          seen.add(`${verb} ${answer.status}`);
        }
      }
    }
    // The requests reach every kind of answer, or the check above proves little.
    for (const kind of [
      'GET 200',
      'GET 304',
      'GET 400',
      'GET 404',
      'HEAD 400',
      'OPTIONS 204',
      'POST 405',
      'TRACE 405',
    ]) {
      expect([...seen], kind).toContain(kind);
    }
  });

  it('accepts each parameter exactly as its schema says, at and just past the stated bounds', async () => {
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      const query = (item.get?.parameters ?? []).filter((p) => p.in === 'query');
      for (const p of query) {
        for (const value of hostileValues(p.schema)) {
          const search = new URLSearchParams({ ...VALID_QUERY, [p.name]: value });
          for (const name of Object.keys(VALID_QUERY)) {
            if (name !== p.name && !query.some((other) => other.name === name)) search.delete(name);
          }
          const answer = await send('GET', `/api${path}?${search}`);
          const body = JSON.parse(answer.body.toString());
          const what = `${path} ${p.name}=${JSON.stringify(value).slice(0, 40)}`;
          if (admits(p.schema, value)) {
            expect(answer.status, what).toBe(200);
            if (p.schema.type === 'integer') expect(body.meta.pagination[p.name], what).toBe(Number(value));
            // Trimmed before searching, as the description says.
            else if (p.name === 'q') expect(body.query, what).toBe(value.trim());
          } else {
            expect(answer.status, what).toBe(400);
            expect(
              body.error.issues.map((issue: { path: string }) => issue.path),
              what,
            ).toContain(p.name);
          }
          checked++;
        }
        if (p.schema.default !== undefined) {
          const search = new URLSearchParams(query.some((other) => other.name === 'q') ? VALID_QUERY : {});
          const body = JSON.parse((await send('GET', `/api${path}?${search}`)).body.toString());
          expect(body.meta.pagination[p.name], `${path} ${p.name} absent`).toBe(p.schema.default);
        }
      }
    }
    // page, limit and section of /articles, path of /pages, q, page and limit of /search.
    expect(checked).toBeGreaterThan(7 * 15);
  });

  it('lists the 503 of a database that is away, with its Retry-After, on every read', async () => {
    const orphan = await startWorker({ libsqlUrl: 'http://127.0.0.1:9', siteUrl: SITE });
    try {
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of ['get', 'head']) {
          const operation = item[method] as Operation;
          const concrete = `/api${path.replace('{slug}', 'bericht-nummer-1')}${requiredQuery(operation)}`;
          const answer = await httpSend(`${orphan.url}/`, { method: method.toUpperCase(), path: concrete });
          expect(answer.status, `${method} ${concrete}`).toBe(503);
          expectListed(operation, method.toUpperCase(), concrete, answer);
        }
      }
    } finally {
      await orphan.dispose();
    }
  });
});

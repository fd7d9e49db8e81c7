import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { Block } from '../../schema/blocks.ts';
import { ERROR_CODES, type ErrorStatus } from '../api-error.ts';
import { CACHE_CONTROL } from '../cache/cache-policy.ts';
import { NETWORKS } from '../lib/share-networks.ts';
import { RETRY_AFTER } from '../lib/timeout.ts';
import { ALLOWED_METHODS, ListQuery, PageQuery, SearchQuery, SlugParam } from './api-schemas.ts';

// Response shapes, as valibot schemas so that the OpenAPI document describes them from one source.
const ArticleSummary = v.object({
  slug: v.string(),
  section: v.pipe(
    v.string(),
    v.description('The path of the news section the article belongs to (GET /sections).'),
  ),
  title: v.string(),
  publishedAt: v.pipe(v.string(), v.isoDate()),
  excerpt: v.string(),
  url: v.pipe(
    v.string(),
    v.url(),
    v.description('The article page: {section}/{publishedAt}/{slug} on the site.'),
  ),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
});
const Body = v.pipe(
  v.array(Block),
  v.description(
    'The body as blocks. Every block has its plain text (`text`, or `items` for a list), which is all a client needs; `inline`, where present, gives that same text as runs with links, bold and italics. In text outside a run with `href`, the site itself links http(s) URLs, bare www. hosts and e-mail addresses when it renders; only http(s), mailto: and links to paths of this site are ever made. An `image` block is a picture on a line of its own, with its alt text and, once stored, its variants; a run with `file` links to a download.',
  ),
);
const Article = v.object({
  ...ArticleSummary.entries,
  source: v.nullable(v.string()),
  body: Body,
  /** Shares through "Deel dit artikel", per network and in total. */
  shares: v.object(
    Object.fromEntries(
      [...NETWORKS, 'total'].map((key) => [key, v.pipe(v.number(), v.integer(), v.minValue(0))]),
    ),
  ),
});
const Pagination = v.object({
  page: v.number(),
  limit: v.number(),
  pages: v.number(),
  total: v.number(),
  next: v.nullable(v.number()),
  prev: v.nullable(v.number()),
});
const Link = v.object({ label: v.string(), url: v.string() });
const pagePath = v.pipe(
  v.string(),
  v.description('The address exactly as the site serves it (with its trailing slash, if it has one).'),
);
const PageSummary = v.object({
  path: pagePath,
  url: v.pipe(v.string(), v.url()),
  title: v.string(),
  excerpt: v.pipe(v.string(), v.description('The first paragraph; empty for an index.')),
});
const Page = v.object({
  ...PageSummary.entries,
  body: v.pipe(Body, v.description('The body as blocks, as an article has them; empty for an index.')),
  virtual: v.pipe(
    v.boolean(),
    v.description(
      'True for an index the site made for an address that has pages below it and no document of its own: a title and its children, no body.',
    ),
  ),
  parent: v.pipe(
    v.nullable(v.string()),
    v.description('The path of the page one level up, as served; null at the top.'),
  ),
  children: v.pipe(
    v.array(PageSummary),
    v.description('The pages one level down, in the order of the site (their `order`, then title).'),
  ),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
});
const Section = v.object({
  path: v.string(),
  title: v.string(),
  url: v.pipe(v.string(), v.url(), v.description("The section's list of articles.")),
});

const schema = (s: v.GenericSchema) => toJsonSchema(s, { errorMode: 'ignore', target: 'draft-2020-12' });

/** The error envelope (`errorEnvelope` in api-error.ts) of one status, with that status's code. */
const ErrorEnvelope = (status: ErrorStatus) =>
  v.object({
    error: v.object({
      code: v.literal(ERROR_CODES[status]),
      message: v.pipe(v.string(), v.description('For people, in Dutch.')),
      issues: v.optional(
        v.pipe(
          v.array(v.object({ path: v.string(), message: v.string() })),
          v.description('What is wrong with which parameter (400 only).'),
        ),
      ),
    }),
  });

/** Query or path parameters of an operation, from the valibot object that validates them. */
function parameters(inSpec: 'query' | 'path', object: v.ObjectSchema<v.ObjectEntries, undefined>) {
  return Object.entries(object.entries).map(([name, entry]) => {
    const valibot = entry as v.GenericSchema;
    // A parameter whose checks JSON Schema cannot read off the pipe states its own (api-schemas.ts).
    const stated = (v.getMetadata(valibot) as { jsonSchema?: Record<string, unknown> }).jsonSchema;
    const { description, ...json } = (stated ?? schema(valibot)) as { description?: string };
    return {
      name,
      in: inSpec,
      required: inSpec === 'path' || !('default' in (entry as object)),
      description: v.getDescription(valibot) ?? description,
      schema: json,
    };
  });
}

// Conditional requests (worker/cache/edge-cache.ts, RFC 9110 §13.1).
const conditionalHeaders = [
  {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'ETags of copies the client has (weak comparison, or `*`); 304 when one is current.',
    schema: { type: 'string' },
  },
  {
    name: 'If-Modified-Since',
    in: 'header',
    required: false,
    description:
      'An HTTP-date (IMF-fixdate; the obsolete rfc850 and asctime forms are read too); 304 when nothing changed since. Ignored when If-None-Match is present, when it is no HTTP-date, and when it lies in the future (RFC 9110 §13.1.3).',
    schema: { type: 'string' },
  },
];

const json = (s: v.GenericSchema, description: string) => ({
  description,
  headers: {
    'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
    ETag: { $ref: '#/components/headers/ETag' },
    'Last-Modified': { $ref: '#/components/headers/Last-Modified' },
  },
  content: { 'application/json': { schema: schema(s) } },
});
const error = (status: ErrorStatus, description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: schema(ErrorEnvelope(status)) } },
});

const components = {
  headers: {
    'Cache-Control': {
      description: 'How long the answer may be kept (the same for every page and API answer).',
      schema: { type: 'string', const: CACHE_CONTROL.page },
    },
    ETag: {
      description: 'Strong; changes with every deploy and every published change.',
      schema: { type: 'string' },
    },
    'Last-Modified': { description: 'An IMF-fixdate.', schema: { type: 'string' } },
    'Retry-After': {
      description: 'Seconds to wait before trying again.',
      schema: { type: 'integer', const: Number(RETRY_AFTER) },
    },
    Allow: {
      description: 'The methods the API answers.',
      schema: { type: 'string', const: ALLOWED_METHODS.join(', ') },
    },
  },
  responses: {
    NotModified: {
      description: 'The copy named by If-None-Match or If-Modified-Since is current; no body.',
      headers: {
        'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
        ETag: { $ref: '#/components/headers/ETag' },
        'Last-Modified': { $ref: '#/components/headers/Last-Modified' },
      },
    },
    BadRequest: error(400, 'Invalid parameters; `issues` says which and why'),
    NotFound: error(404, 'No such article or page (drafts and scheduled articles are not public)'),
    MovedPermanently: {
      description: 'An address the resource had before: Location is where it is now',
      headers: { Location: { schema: { type: 'string' } } },
    },
    MethodNotAllowed: error(405, 'The API is read-only', {
      Allow: { $ref: '#/components/headers/Allow' },
    }),
    ServiceUnavailable: error(503, 'The database is unavailable or too slow; try again later', {
      'Retry-After': { $ref: '#/components/headers/Retry-After' },
    }),
  },
};
type Status = keyof typeof components.responses;
const ref = (name: Status) => ({ $ref: `#/components/responses/${name}` });

interface Get {
  summary: string;
  parameters?: ReturnType<typeof parameters>;
  responses: Record<number, unknown>;
}

// The methods of an OpenAPI path item (OpenAPI 3.1 §4.8.9).
const METHODS = ['get', 'head', 'options', 'put', 'post', 'delete', 'patch', 'trace'];

/**
 * The path item of a read-only resource: GET as given, plus the 304 of conditional requests and the
 * 503 of a database that is away; HEAD with the same answers without a body; OPTIONS, the CORS
 * preflight; every other method 405.
 */
function readOnly(get: Get) {
  const responses: Record<number, unknown> = {
    ...get.responses,
    304: ref('NotModified'),
    503: ref('ServiceUnavailable'),
  };
  const parametersOf = [...(get.parameters ?? []), ...conditionalHeaders];
  return {
    get: { ...get, parameters: parametersOf, responses },
    head: {
      summary: `${get.summary}: the headers of GET, no body`,
      parameters: parametersOf,
      responses: Object.fromEntries(
        Object.entries(responses).map(([status, response]) => {
          const { content: _, ...headersOnly } = resolve(response);
          return [status, headersOnly];
        }),
      ),
    },
    options: {
      summary: 'CORS preflight (any origin)',
      responses: {
        204: {
          description: 'The methods and origins allowed',
          headers: {
            'Access-Control-Allow-Origin': { schema: { type: 'string', const: '*' } },
            'Access-Control-Allow-Methods': {
              schema: { type: 'string', const: ALLOWED_METHODS.join(',') },
            },
          },
        },
      },
    },
    // The API answers 405 to every method it does not allow.
    ...Object.fromEntries(
      METHODS.filter((method) => !(ALLOWED_METHODS as readonly string[]).includes(method.toUpperCase())).map(
        (method) => [
          method,
          { summary: 'Not allowed: the API is read-only', responses: { 405: ref('MethodNotAllowed') } },
        ],
      ),
    ),
  };
}

/** A response object, or the component it refers to. */
function resolve(response: unknown): { content?: unknown; description: string } {
  const named = response as { $ref?: string; content?: unknown; description: string };
  if (!named.$ref) return named;
  return components.responses[named.$ref.split('/').pop() as Status];
}

/** OpenAPI 3.1 document of the content API, generated from the routes' valibot schemas. */
export function buildOpenApi(siteUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'VSO Werkgevers content API',
      version: '1.0.0',
      description:
        'Articles, news sections, content pages, participants and site texts of VSO Werkgevers. Read-only; CORS open for GET. Every error is the JSON envelope `{"error": {"code", "message", "issues"?}}`.',
    },
    servers: [{ url: `${siteUrl}/api` }],
    components,
    paths: {
      '/articles': readOnly({
        summary: 'Articles, newest first; of one news section with `section`',
        parameters: parameters('query', ListQuery),
        responses: {
          200: json(
            v.object({ articles: v.array(ArticleSummary), meta: v.object({ pagination: Pagination }) }),
            'A page of articles',
          ),
          400: ref('BadRequest'),
        },
      }),
      '/articles/{slug}': readOnly({
        summary: 'One article with its body blocks',
        parameters: parameters('path', SlugParam),
        responses: {
          200: json(v.object({ article: Article }), 'The article'),
          400: ref('BadRequest'),
          404: ref('NotFound'),
        },
      }),
      '/sections': readOnly({
        summary: 'The news sections: the default one first, then the others in their order',
        responses: { 200: json(v.object({ sections: v.array(Section) }), 'The sections') },
      }),
      '/pages': readOnly({
        summary: 'One content page with its body blocks and the pages below it',
        parameters: parameters('query', PageQuery),
        responses: {
          200: json(v.object({ page: Page }), 'The page'),
          301: ref('MovedPermanently'),
          400: ref('BadRequest'),
          404: ref('NotFound'),
        },
      }),
      '/participants': readOnly({
        summary: 'The participants, alphabetically',
        responses: {
          200: json(
            v.object({ participants: v.array(v.object({ name: v.string(), slug: v.string() })) }),
            'Participants',
          ),
        },
      }),
      '/site': readOnly({
        summary: 'Site texts and navigation',
        responses: {
          200: json(
            v.object({
              about: v.nullable(v.object({ text: v.string(), url: v.string() })),
              featured: v.nullable(v.object({ title: v.string(), text: v.string(), url: v.string() })),
              navigation: v.array(Link),
            }),
            'Site texts',
          ),
        },
      }),
      '/search': readOnly({
        summary:
          'Search in Dutch: words as written, their stems, compound parts and glossary abbreviations; snippets are HTML with <mark> around what matched',
        parameters: parameters('query', SearchQuery),
        responses: {
          200: json(
            v.object({
              query: v.pipe(v.string(), v.description('`q`, trimmed.')),
              results: v.array(v.object({ ...ArticleSummary.entries, snippet: v.string() })),
              pages: v.pipe(
                v.array(v.object({ ...PageSummary.entries, snippet: v.string() })),
                v.description(
                  'The content pages holding every word (matched as the articles are), best first: the title holds every word, then as written, as stem, as compound part; at most 5, the same on every page of results. Drafts and indexes are never found.',
                ),
              ),
              suggestions: v.pipe(
                v.array(
                  v.object({
                    query: v.pipe(
                      v.string(),
                      v.description('The query with the closest words of the index.'),
                    ),
                    url: v.pipe(v.string(), v.url(), v.description('The search page for it.')),
                  }),
                ),
                v.description(
                  '"Bedoelde u …?": when the query found nothing (or fewer articles than a closer word is in), at most one query with its unknown words replaced by the closest indexed words; otherwise empty.',
                ),
              ),
              meta: v.object({
                pagination: v.object({
                  ...Pagination.entries,
                  /** Every matching article; `total` counts the ranked ones (the newest 200 at most). */
                  matches: v.number(),
                }),
                allWords: v.pipe(
                  v.boolean(),
                  v.description(
                    'False when no article holds every word: then the results (and `matches`) are the articles holding some of them, most words first.',
                  ),
                ),
              }),
            }),
            'Search results',
          ),
          400: ref('BadRequest'),
        },
      }),
    },
  };
}

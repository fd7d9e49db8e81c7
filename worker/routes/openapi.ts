import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { Block } from '../../schema/blocks.ts';
import { NETWORKS } from '../lib/share.ts';
import { ListQuery, SearchQuery, SlugParam } from './api.ts';

// Response shapes, as valibot schemas so that the OpenAPI document describes them from one source.
const ArticleSummary = v.object({
  slug: v.string(),
  title: v.string(),
  publishedAt: v.pipe(v.string(), v.isoDate()),
  excerpt: v.string(),
  url: v.pipe(v.string(), v.url()),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
});
const Article = v.object({
  ...ArticleSummary.entries,
  source: v.nullable(v.string()),
  body: v.array(Block),
  /** Shares through "Deel dit artikel", per network and in total. */
  shares: v.object(
    Object.fromEntries(
      [...NETWORKS, 'total'].map((key) => [key, v.pipe(v.number(), v.integer(), v.minValue(0))]),
    ),
  ),
});
const ErrorEnvelope = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    issues: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  }),
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

const schema = (s: v.GenericSchema) => toJsonSchema(s, { errorMode: 'ignore', target: 'draft-2020-12' });

/** Query or path parameters of an operation, from the valibot object that validates them. */
function parameters(inSpec: 'query' | 'path', object: v.ObjectSchema<v.ObjectEntries, undefined>) {
  return Object.entries(object.entries).map(([name, entry]) => {
    const json = schema(entry as v.GenericSchema) as { description?: string };
    return {
      name,
      in: inSpec,
      required: inSpec === 'path' || !('default' in (entry as object)),
      description: json.description,
      schema: { ...json, description: undefined },
    };
  });
}

const json = (s: v.GenericSchema, description: string) => ({
  description,
  content: { 'application/json': { schema: schema(s) } },
});
const errors = {
  400: json(ErrorEnvelope, 'Invalid input'),
  404: json(ErrorEnvelope, 'Not found'),
  503: json(ErrorEnvelope, 'Database unavailable'),
};

/** OpenAPI 3.1 document of the content API, generated from the routes' valibot schemas. */
export function buildOpenApi(siteUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'VSO Werkgevers content API',
      version: '1.0.0',
      description: 'Articles, participants and site texts of VSO Werkgevers. Read-only; CORS open for GET.',
    },
    servers: [{ url: `${siteUrl}/api` }],
    paths: {
      '/articles': {
        get: {
          summary: 'Articles, newest first',
          parameters: parameters('query', ListQuery),
          responses: {
            200: json(
              v.object({ articles: v.array(ArticleSummary), meta: v.object({ pagination: Pagination }) }),
              'A page of articles',
            ),
            400: errors[400],
          },
        },
      },
      '/articles/{slug}': {
        get: {
          summary: 'One article with its body blocks',
          parameters: parameters('path', SlugParam),
          responses: {
            200: json(v.object({ article: Article }), 'The article'),
            400: errors[400],
            404: errors[404],
          },
        },
      },
      '/participants': {
        get: {
          summary: 'The participants, alphabetically',
          responses: {
            200: json(
              v.object({ participants: v.array(v.object({ name: v.string(), slug: v.string() })) }),
              'Participants',
            ),
          },
        },
      },
      '/site': {
        get: {
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
        },
      },
      '/search': {
        get: {
          summary: 'Full-text search; snippets are HTML with <mark> around matches',
          parameters: parameters('query', SearchQuery),
          responses: {
            200: json(
              v.object({
                query: v.string(),
                results: v.array(v.object({ ...ArticleSummary.entries, snippet: v.string() })),
                meta: v.object({
                  pagination: v.object({
                    ...Pagination.entries,
                    /** Every matching article; `total` counts the ranked ones (the newest 200 at most). */
                    matches: v.number(),
                  }),
                }),
              }),
              'Search results',
            ),
            400: errors[400],
          },
        },
      },
    },
  };
}

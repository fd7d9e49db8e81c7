import { sql } from 'drizzle-orm';
import { customType, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DEFAULT_SECTION } from './addresses.ts';
import type { Block } from './blocks.ts';
import { storedBlocks } from './stored-blocks.ts';

/**
 * The database, written by the seed (scripts/seed.ts) and read by the Worker. The search indexes
 * `articles_search` and `pages_search` (FTS5, contentless, filled from `search_text` by triggers) and the
 * suggestion vocabulary `search_vocabulary` (FTS5 trigram) live in a custom migration in drizzle/,
 * because drizzle-kit does not model virtual tables.
 */

/**
 * The body blocks as JSON text, as drizzle's `text({ mode: 'json' })` stores them, read back through
 * storedBlocks so that rows written by an older seed have the shape of today's blocks.
 */
const blocksJson = customType<{ data: Block[]; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => storedBlocks(JSON.parse(value)),
});

export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    /** The news section's path (schema/addresses.ts): the article's URL is {section}/{date}/{slug}. */
    section: text('section').notNull().default(DEFAULT_SECTION),
    title: text('title').notNull(),
    excerpt: text('excerpt').notNull(),
    body: blocksJson('body').notNull(),
    /** The body as plain text, derived at seed time for the full-text index. */
    bodyText: text('body_text').notNull(),
    /** The columns of the search index as JSON (schema/search-terms.ts, searchColumns), written by the seed. */
    searchText: text('search_text').notNull().default('{}'),
    source: text('source'),
    /** ISO date (YYYY-MM-DD) from the "Geplaatst op" line. A date after today (Europe/Amsterdam) is a
     * scheduled article: hidden from every public route until that day begins. */
    publishedAt: text('published_at').notNull(),
    /** A draft (Markdown `draft: true`): hidden from every public route; only a preview shows it. */
    draft: integer('draft', { mode: 'boolean' }).notNull().default(false),
    /** SHA-256 of the parsed article's content; when it changes, so does updated_at. */
    contentHash: text('content_hash').notNull(),
    /** Hash of search_text: the index text changes with the glossary, which is not the article's
     * content, so it is compared on its own (null on rows from before the search index). */
    searchHash: text('search_hash'),
    /** Hash of what search_text is made from (the content, the draft flag, the glossary and the
     * search code: pipeline/search-seed.ts, SearchTexts.inputOf): while it is the same, the seed does not
     * make the index text again (null on rows from before it, which the next seed fills in). */
    searchInput: text('search_input'),
    /** File name of the source document in content-seed/. */
    sourceFile: text('source_file').notNull(),
    /** Content hash of the article's social card (social_cards.png), part of its URL /og/{slug}.{hash}.png. */
    cardHash: text('card_hash'),
    /** Hash of what the card was drawn from (title, date, renderer: pipeline/card-input.ts); the seed
     * renders the card again only when it changes. */
    cardInput: text('card_input'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    /** When the article's content last changed: the start of its publication date until a seed
     * changes its content, then the time of that seed. */
    updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (table) => [
    // Every public route filters `draft = 0 and published_at <= today` (worker/queries.ts isPublic).
    // With draft in the index, a count or a deep page of that filter reads the index alone; without
    // it every row was read for its draft flag (count(*): 7 ms at 10,000 articles). Draft last, not
    // first: first, the planner took it for an article's own lookup by slug too (10× slower).
    index('articles_public_idx').on(table.publishedAt, table.id, table.draft),
    index('articles_source_file_idx').on(table.sourceFile),
    // A section's list: the same filter and order as the public index, within one section.
    index('articles_section_idx').on(table.section, table.publishedAt, table.id, table.draft),
  ],
);

/**
 * Content pages: documents without a publication date that name their address (`url:`), in a tree
 * by path (`/organisatie/achtergrond/`). `path` is the address exactly as the document gives it
 * (slash and all); `key` is that path without its trailing slash (schema/addresses.ts, addressKey),
 * the form every lookup and the parent link use, so that `/a/` and `/a` can never be two pages.
 */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    path: text('path').notNull().unique(),
    key: text('key').notNull().unique(),
    /** The key of the address one level up (addressKey), null at the top. */
    parent: text('parent'),
    title: text('title').notNull(),
    excerpt: text('excerpt').notNull(),
    body: blocksJson('body').notNull(),
    bodyText: text('body_text').notNull(),
    /** The columns of the search index as JSON (searchColumns, as articles have them); '{}' for a
     * draft and an index, which are never found. Triggers copy it into `pages_search`. */
    searchText: text('search_text').notNull().default('{}'),
    /** Hash of search_text: a glossary change rewrites the index text of the pages it touches. */
    searchHash: text('search_hash'),
    /** Hash of what search_text is made from, as articles.search_input. */
    searchInput: text('search_input'),
    /**
     * An index the seed made for an address that has child pages but no document of its own
     * (`/organisatie/` when only its children exist): a title and the list of its children, so that
     * no breadcrumb leads to a 404. Served with a trailing slash, as the original site's folders were.
     */
    virtual: integer('virtual', { mode: 'boolean' }).notNull().default(false),
    /** Whether the page shows the site's sidebar (about, participants, featured). */
    sidebar: integer('sidebar', { mode: 'boolean' }).notNull().default(true),
    /** Place among its siblings (front matter `order`); pages without one follow, by title. */
    position: integer('position'),
    /** A draft (front matter `draft: true`): no public route shows it; only a preview does. */
    draft: integer('draft', { mode: 'boolean' }).notNull().default(false),
    contentHash: text('content_hash').notNull(),
    sourceFile: text('source_file').notNull(),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (table) => [index('pages_parent_idx').on(table.parent)],
);

/**
 * Addresses a page answers besides its own, each with a 301 to it: the addresses it had before its
 * `url` changed (kept by the seed, like former slugs) and those its document lists (`aliases`).
 * `path` is an addressKey; the redirect always goes to the page's current path, so none chains.
 */
export const pageAddresses = sqliteTable('page_addresses', {
  path: text('path').primaryKey(),
  pageId: integer('page_id')
    .notNull()
    .references(() => pages.id, { onDelete: 'cascade' }),
  /** 'former' (kept across seeds) or 'alias' (replaced with every seed of its document). */
  kind: text('kind').notNull(),
});

/**
 * redirects.yaml: addresses no document owns (merged or removed pages), each answered with a 301 to a
 * path of this site. `path` is an addressKey; `target` is a path as it is served.
 */
export const redirects = sqliteTable('redirects', {
  path: text('path').primaryKey(),
  target: text('target').notNull(),
});

/** The news sections besides the default one, from site.yaml `sections:`, in the order listed. */
export const sections = sqliteTable('sections', {
  path: text('path').primaryKey(),
  title: text('title').notNull(),
  position: integer('position').notNull(),
});

/**
 * The slugs an article had before its title (or `slug`) changed: their URLs answer 301 to the current
 * one. Kept by the seed across reseeds; deleted with their article.
 */
export const formerSlugs = sqliteTable('former_slugs', {
  slug: text('slug').primaryKey(),
  articleId: integer('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
});

/**
 * Paths an editor listed for an article (Markdown `aliases`, a .txt "Eerdere URL:" line), e.g. the
 * URLs of the original site: each answers 301 to the article. Replaced with every seed of its
 * document.
 */
export const articleAliases = sqliteTable('article_aliases', {
  path: text('path').primaryKey(),
  articleId: integer('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
});

export const participants = sqliteTable('participants', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  slug: text('slug').notNull().unique(),
});

/** Site-wide texts from the documents: 'about' ("Over VSO Werkgevers") and 'featured' ("Uitgelicht"). */
export const siteBlocks = sqliteTable('site_blocks', {
  key: text('key').primaryKey(),
  title: text('title'),
  text: text('text').notNull(),
  /** Where its "Lees verder" leads (site.yaml `url`); null: the stand-in page built from the text. */
  url: text('url'),
  updatedAt: text('updated_at').notNull(),
});

/** How often each article was shared through each network ("Deel dit artikel"). */
export const shareCounts = sqliteTable(
  'share_counts',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    network: text('network').notNull(),
    count: integer('count').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.articleId, table.network] })],
);

/**
 * A BLOB as a Uint8Array. drizzle's own `blob({ mode: 'buffer' })` needs Node's Buffer, which the
 * Worker does not have; @libsql/client hands blobs over as ArrayBuffer.
 */
const bytes = customType<{ data: Uint8Array<ArrayBuffer>; driverData: ArrayBuffer | Uint8Array }>({
  dataType: () => 'blob',
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * The social card of each article: a 1200×630 PNG rendered at seed time (pipeline/social-card.ts).
 * Kept out of `articles` so that page queries never carry the image.
 */
export const socialCards = sqliteTable('social_cards', {
  articleId: integer('article_id')
    .primaryKey()
    .references(() => articles.id, { onDelete: 'cascade' }),
  png: bytes('png').notNull(),
});

/** Small key/value facts about the content, e.g. 'content_version', changed by every seed that writes. */
export const siteMeta = sqliteTable('site_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The glossary of content-seed/glossary.yaml: a term (an abbreviation) and the names it stands for
 * (JSON array). The seed adds every form of an entry an article names to the article's index text;
 * the Worker reads it to mark those forms in snippets.
 */
export const glossary = sqliteTable('glossary', {
  term: text('term').primaryKey(),
  names: text('names', { mode: 'json' }).$type<string[]>().notNull(),
});

/** One object in the MEDIA bucket made from a media file: its key, size and shape. */
export interface MediaVariant {
  key: string;
  /** avif, webp, jpeg, png for an image's variants; the file's extension for a download. */
  format: string;
  width?: number;
  height?: number;
  bytes: number;
  /** The share image (og:image, pipeline/media.ts), not one of the `<picture>`'s variants. */
  share?: true;
}

/**
 * Every media file the documents name, once per content (the SHA-256 of the file, `source`): what the
 * seed made of it (pipeline/media.ts) with which settings (`processor`: a row made with others is made
 * again), and the objects in the MEDIA bucket, written before the row (docs/media.md).
 */
export const media = sqliteTable('media', {
  source: text('source').primaryKey(),
  processor: text('processor').notNull(),
  kind: text('kind', { enum: ['image', 'download'] }).notNull(),
  /** The served size of an image (upright, capped); null for a download. */
  width: integer('width'),
  height: integer('height'),
  /** The source file's size in bytes. */
  bytes: integer('bytes').notNull(),
  /** A download's Content-Type; an image's fallback (image/jpeg or image/png). */
  contentType: text('content_type').notNull(),
  variants: text('variants', { mode: 'json' }).$type<MediaVariant[]>().notNull(),
});

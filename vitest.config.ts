import { defineConfig } from 'vitest/config';

// Test tiers, fastest first. `npm test` runs them all; `npm run test:fast` runs unit and app (the
// loop for a change to a route, a view, a query or a pure function).
// A test goes in the fastest tier that can show what it tests.

const files = (...names: string[]) => names.map((name) => `test/${name}.test.ts`);

/** Pure code, and the local libSQL server in-process: no app, no Worker, milliseconds each. */
const unit = files(
  'cache-policy',
  'content-version',
  'http-date',
  'linkify',
  'parse-document',
  'site-document',
  'publication',
  'parse-markdown',
  'share-intents',
  'slug-and-dates',
  'snippet',
  'glossary',
  'search-terms',
  'hrana-hardening',
  'hrana-server',
  'site-structure',
  'check-report',
  'media-authoring',
  'media-blocks',
  'seed-packing',
);

/** Node, but slow: the seed command and the libSQL server as processes, social cards rendered. */
const tools = files(
  'seed',
  'seed-pages',
  'seed-formats',
  'content-files',
  'hrana-process',
  'social-card',
  'unfurl-check',
  'content-watcher',
  'check-content',
  'workflows',
  'media',
  'media-store',
  'seed-media',
  'media-prune',
);

/**
 * Load on the built Worker (64 connections for a minute, the database killed under load): alone,
 * after every other tier, so that other files' CPU does not count as the Worker's.
 */
const load = files('resilience');

/** A real browser, the HTML validator and Lighthouse, on the built Worker. */
const browser = files('browser', 'html-validity', 'lighthouse', 'tooling', 'media-browser');

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: unit, isolate: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'tools', include: tools, sequence: { groupOrder: 0 } } },
      {
        // The app in Node with createApp over a seeded file: database (test/support/app.ts).
        extends: true,
        test: {
          name: 'app',
          include: ['test/app/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          globalSetup: ['test/support/assets-setup.ts'],
          // One module graph per worker process for all its files: importing the app, drizzle and
          // the card renderer once, not once per file. The files share no state (each has its app).
          isolate: false,
        },
      },
      {
        // The built bundle in workerd (Miniflare): what needs the runtime (Cache API, Queues, rate
        // limiter, static assets, the entrypoints in worker/index.ts) and the npm entry points.
        extends: true,
        test: {
          name: 'workerd',
          include: ['test/*.test.ts', 'test/*.test.tsx'],
          sequence: { groupOrder: 0 },
          exclude: [...unit, ...tools, ...browser, ...load],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: load,
          globalSetup: ['test/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: browser,
          globalSetup: ['test/support/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});

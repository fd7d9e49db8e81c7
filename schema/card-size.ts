/**
 * The size of every social card, in pixels: 1200×630 (1.91:1) is the Open Graph image size that
 * Facebook, LinkedIn and X's large summary card show uncropped. The pipeline renders the PNGs at
 * this size (pipeline/social-card.ts); the Worker announces it in og:image:width/height and in
 * oEmbed's thumbnail_width/height (worker/views/social-meta.tsx, worker/routes/social.ts), which
 * must match the bytes it serves.
 */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/**
 * The most bytes a card may have: WhatsApp shows an image best under about 300 KB, the smallest
 * limit of the networks (docs/link-previews.md), and one card serves them all.
 */
export const CARD_MAX_BYTES = 300 * 1024;

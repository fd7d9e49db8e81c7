import type { Block } from '../../schema/blocks.ts';

type ImageBlock = Extract<Block, { type: 'image' }>;
type Variant = NonNullable<ImageBlock['media']>['variants'][number];

/**
 * The width an image takes in the article column (`.article-body`: at most 42rem, the page padded by
 * 1rem each side), so that the browser picks the smallest variant that fills it.
 */
const IMAGE_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';

const srcset = (variants: Variant[], origin: string) =>
  variants.map((variant) => `${origin}${variant.url} ${variant.width}w`).join(', ');

/**
 * An image of the body: AVIF and WebP sources and an `<img>` fallback (JPEG, or PNG with transparency)
 * with its size, so nothing moves when it loads. The first image of an article may be what the reader
 * sees first: it is fetched at once (`fetchpriority="high"`); every other one lazily. An image the seed
 * has not stored (no `media`) shows nothing rather than a broken picture.
 */
export function Picture({ image, first, origin }: { image: ImageBlock; first: boolean; origin: string }) {
  const media = image.media;
  if (!media) return null;
  const of = (format: Variant['format']) => media.variants.filter((variant) => variant.format === format);
  const fallback = of('png').length > 0 ? of('png') : of('jpeg');
  const largest = fallback[fallback.length - 1];
  if (!largest) return null;
  return (
    <picture>
      <source type="image/avif" srcset={srcset(of('avif'), origin)} sizes={IMAGE_SIZES} />
      <source type="image/webp" srcset={srcset(of('webp'), origin)} sizes={IMAGE_SIZES} />
      <img
        src={`${origin}${largest.url}`}
        srcset={srcset(fallback, origin)}
        sizes={IMAGE_SIZES}
        width={media.width}
        height={media.height}
        alt={image.alt}
        {...(first ? { fetchpriority: 'high' } : { loading: 'lazy', decoding: 'async' })}
      />
    </picture>
  );
}

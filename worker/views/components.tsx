import type { Child } from 'hono/jsx';
import type { Block, Segment } from '../../schema/blocks.ts';
import { formatDate, formatLongDate } from '../../schema/dates.ts';
import { DOWNLOAD_LABELS, dutchSize, type MediaExtension } from '../../schema/media-files.ts';
import { linkify } from '../lib/linkify.ts';
import { NETWORK_LABELS, NETWORKS } from '../lib/share-networks.ts';
import type { ArticleSummary } from '../queries/articles.ts';
import { MARK_END, MARK_START } from '../queries/search.ts';
import { articlePath, MAX_QUERY_LENGTH, paths } from '../site.ts';
import { Picture } from './picture.tsx';

/** Text with its line breaks kept; with `links`, URLs and e-mail addresses in it become links. */
function RichText({ text, links = true }: { text: string; links?: boolean }) {
  const lines = text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 && <br />}
          {links
            ? linkify(line).map((segment) =>
                segment.href ? <a href={segment.href}>{segment.text}</a> : segment.text,
              )
            : line}
        </>
      ))}
    </>
  );
}

/** A run in its bold and italics; its text is linked (`links`) only where it is in no link of its own. */
function Marked({ segment, links }: { segment: Segment; links: boolean }) {
  const text = <RichText text={segment.text} links={links} />;
  const em = segment.emphasis ? <em>{text}</em> : text;
  return segment.strong ? <strong>{em}</strong> : em;
}

/**
 * A block's text: its runs with their marks when it has them (Markdown links, bold, italics), else
 * the plain text. Adjacent runs with one link target are one <a>. Text outside links is linkified
 * where the block's plain text would be (`links`), text inside a link never is: no link in a link.
 */
function BlockText({
  text,
  inline,
  links,
  origin = '',
}: {
  text: string;
  inline?: Segment[];
  links: boolean;
  origin?: string;
}) {
  if (!inline) return links ? <RichText text={text} /> : text;
  const groups: Segment[][] = [];
  for (const segment of inline) {
    const last = groups[groups.length - 1];
    if (last && segment.href !== undefined && last[0]?.href === segment.href) last.push(segment);
    else groups.push([segment]);
  }
  return (
    <>
      {groups.map((group) => {
        const href = group[0]?.href;
        const content = group.map((segment) => <Marked segment={segment} links={links && !href} />);
        if (!href) return content;
        const link = <a href={href.startsWith('/') ? `${origin}${href}` : href}>{content}</a>;
        const file = group[0]?.download;
        // The file card: what a visitor is about to download, "(PDF, 1,2 MB)".
        return file ? (
          <>
            {link}{' '}
            <span class="file-card">
              ({DOWNLOAD_LABELS[file.format as MediaExtension] ?? file.format.toUpperCase()},{' '}
              {dutchSize(file.bytes)})
            </span>
          </>
        ) : (
          link
        );
      })}
    </>
  );
}

/**
 * The blocks of an article or page. `origin` (the feed's SITE_URL) makes the links to this site's paths
 * and the images absolute, for readers that show the content away from the site.
 */
export function ArticleBody({ body, origin = '' }: { body: Block[]; origin?: string }) {
  const firstImage = body.find((block) => block.type === 'image');
  return (
    <>
      {body.map((block) => {
        switch (block.type) {
          case 'heading':
            // Headings are not linkified, as they never were; a Markdown link in one is kept.
            return (
              <h2>
                <BlockText text={block.text} inline={block.inline} links={false} origin={origin} />
              </h2>
            );
          case 'list': {
            const items = block.items.map((item, i) => (
              <li>
                <BlockText text={item} inline={block.inline?.[i]} links={true} origin={origin} />
              </li>
            ));
            return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
          }
          case 'image':
            return <Picture image={block} first={block === firstImage} origin={origin} />;
          default:
            return (
              <p>
                <BlockText text={block.text} inline={block.inline} links={true} origin={origin} />
              </p>
            );
        }
      })}
    </>
  );
}

export function PublishedDate({ date, prefix = '' }: { date: string; prefix?: string }) {
  return (
    <time datetime={date}>
      {prefix}
      {formatLongDate(date)}
    </time>
  );
}

export function ArticleList({
  articles,
  headingLevel = 2,
  sections,
}: {
  articles: ArticleSummary[];
  headingLevel?: 2 | 3;
  /** With the sections' titles by path, each article is labelled with its section (the home page). */
  sections?: Map<string, string>;
}) {
  return (
    <ol class="article-list">
      {articles.map((article) => (
        <ArticleItem
          article={article}
          headingLevel={headingLevel}
          date="short"
          label={sections && { path: article.section, title: sections.get(article.section) ?? 'Nieuws' }}
        >
          {article.excerpt}
        </ArticleItem>
      ))}
    </ol>
  );
}

/**
 * One article of a list (home, news, search results): its linked title, its date (short in lists,
 * long among search results) and the text below, an excerpt or a snippet.
 */
export function ArticleItem({
  article,
  headingLevel,
  date,
  label,
  children,
}: {
  article: ArticleSummary;
  headingLevel: 2 | 3;
  date: 'short' | 'long';
  /** The article's section, shown as a small label after the date. */
  label?: { path: string; title: string } | undefined;
  children: Child;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li>
      <article>
        <Heading>
          <a href={articlePath(article)}>{article.title}</a>
        </Heading>
        <p class="meta">
          {date === 'long' ? (
            <PublishedDate date={article.publishedAt} />
          ) : (
            <time datetime={article.publishedAt}>{formatDate(article.publishedAt)}</time>
          )}
          {label && (
            <>
              {' · '}
              <a class="section-label" href={label.path}>
                {label.title}
              </a>
            </>
          )}
        </p>
        <p>{children}</p>
      </article>
    </li>
  );
}

/** A snippet from the search index: the matched words, between markers, become <mark>. */
export function Highlighted({ snippet }: { snippet: string }) {
  const parts = snippet.split(MARK_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return part;
        const [marked = '', rest = ''] = part.split(MARK_END);
        return (
          <>
            <mark>{marked}</mark>
            {rest}
          </>
        );
      })}
    </>
  );
}

export function SearchForm({ query = '', id = 'q' }: { query?: string; id?: string }) {
  return (
    <search>
      <form class="search-form" method="get" action={paths.search}>
        <label for={id}>Zoek in het nieuws</label>
        <div class="search-row">
          <input
            type="search"
            id={id}
            name="q"
            value={query}
            maxlength={MAX_QUERY_LENGTH}
            autocomplete="off"
          />
          <button type="submit">Zoeken</button>
        </div>
      </form>
    </search>
  );
}

export function Pagination({
  page,
  pages,
  href,
  labels = ['« Nieuwere berichten', 'Oudere berichten »'],
}: {
  page: number;
  pages: number;
  href: (page: number) => string;
  /** Texts of the links to the previous and the next page. */
  labels?: readonly [string, string];
}) {
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label="Paginering">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {labels[0]}
        </a>
      ) : (
        <span />
      )}
      <span class="pagination-status">
        Pagina {page} van {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {labels[1]}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/**
 * "Deel dit artikel": plain links to our share endpoint, which works without JavaScript.
 * assets/share.js adds "Kopieer link" and the browser's own share sheet where it can.
 */
export function ShareBlock({ slug, url, title }: { slug: string; url: string; title: string }) {
  return (
    <section class="share" aria-labelledby="deel-titel" data-share-url={url} data-share-title={title}>
      <h2 id="deel-titel">Deel dit artikel</h2>
      <ul class="share-links">
        {NETWORKS.map((network) => (
          <li>
            <a href={`${paths.share}/${slug}/${network}`} rel="nofollow noopener" class={`share-${network}`}>
              <span class="visually-hidden">Deel via </span>
              {NETWORK_LABELS[network]}
            </a>
          </li>
        ))}
      </ul>
      <p class="share-status" role="status" />
    </section>
  );
}

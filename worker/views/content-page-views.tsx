import type { PageDetail, PageLink } from '../queries/pages.ts';
import { paths } from '../site.ts';
import { ArticleBody } from './components.tsx';

/** One step of the breadcrumbs: a title and where it leads. */
export type Crumb = { title: string; path: string };

/**
 * "Kruimelpad": Home, the addresses above the page, the page itself (aria-current, not a link
 * target of its own), as an ordered list in a labelled <nav> (WAI-ARIA Authoring Practices,
 * Breadcrumb pattern).
 */
function Breadcrumbs({ trail }: { trail: Crumb[] }) {
  return (
    <nav class="breadcrumbs" aria-label="Kruimelpad">
      <ol>
        {trail.map((crumb, i) =>
          i === trail.length - 1 ? (
            <li>
              <a href={crumb.path} aria-current="page">
                {crumb.title}
              </a>
            </li>
          ) : (
            <li>
              <a href={crumb.path}>{crumb.title}</a>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}

/** The breadcrumbs of a page: Home, its ancestors (outermost first), the page. */
export const breadcrumbTrail = (ancestors: Crumb[], page: Crumb): Crumb[] => [
  { title: 'Home', path: paths.home },
  ...ancestors,
  page,
];

/** A child of a page: a page below it or a news section below it. */
export type ChildLink = Pick<PageLink, 'path' | 'title' | 'excerpt'>;

/**
 * A content page: breadcrumbs, title, body, and the pages and sections below it. A virtual index
 * (an address with children and no document of its own) is its title and its children.
 */
export function ContentPage(props: { page: PageDetail; trail: Crumb[]; below: ChildLink[] }) {
  const { page } = props;
  return (
    <article class="content-page" aria-labelledby="pagina-titel">
      <header>
        <Breadcrumbs trail={props.trail} />
        <h1 id="pagina-titel">{page.title}</h1>
      </header>
      {page.body.length > 0 && (
        <div class="article-body">
          <ArticleBody body={page.body} />
        </div>
      )}
      {props.below.length > 0 && (
        <section class="child-pages" aria-labelledby="onderliggend">
          <h2 id="onderliggend" class={page.virtual ? 'visually-hidden' : undefined}>
            In dit onderdeel
          </h2>
          <ul class="article-list">
            {props.below.map((child) => (
              <li>
                <h3>
                  <a href={child.path}>{child.title}</a>
                </h3>
                {child.excerpt && <p>{child.excerpt}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

import type { PageResult } from '../queries/search.ts';
import { Highlighted } from './components.tsx';

/**
 * The content pages a search found, above the articles: each links to the page's own path (slash
 * and all, as it is served), with a snippet of its text that marks what matched.
 */
export function SearchPages({ pages }: { pages: PageResult[] }) {
  if (pages.length === 0) return null;
  return (
    <section aria-labelledby="paginas">
      <h2 id="paginas">Pagina's</h2>
      <ol class="article-list search-results search-pages">
        {pages.map((page) => (
          <li>
            <article>
              <h3>
                <a href={page.path}>{page.title}</a>
              </h3>
              <p>
                <Highlighted snippet={page.snippet} />
              </p>
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

import type { ArticleDetail, ArticleSummary, Neighbour } from '../queries/articles.ts';
import type { Sidebar } from '../queries/chrome.ts';
import type { PageResult, SearchResult } from '../queries/search.ts';
import { articlePath, MAX_QUERY_LENGTH, paths, SITE_NAME, searchPath } from '../site.ts';
import {
  ArticleBody,
  ArticleItem,
  ArticleList,
  Highlighted,
  Pagination,
  PublishedDate,
  SearchForm,
  ShareBlock,
} from './components.tsx';
import { SearchPages } from './search-pages.tsx';

/** A news section: its path and title (the default one: /banenafspraak/nieuws, "Nieuws"). */
export type SectionView = { path: string; title: string };

/** The newest articles of every section, each labelled with its section's title. */
export function HomePage(props: {
  articles: ArticleSummary[];
  total: number;
  /** Every section's title by path (queries/chrome.ts, sectionTitles). */
  sections: Map<string, string>;
}) {
  const { articles, total, sections } = props;
  return (
    <>
      <h1>Nieuws van {SITE_NAME}</h1>
      {articles.length === 0 ? (
        <p>Er zijn nog geen berichten.</p>
      ) : (
        <ArticleList articles={articles} sections={sections} />
      )}
      {sections.size === 1
        ? total > articles.length && (
            <p class="more">
              <a href={paths.news}>Alle nieuwsberichten ({total})</a>
            </p>
          )
        : total > articles.length && (
            <nav class="more" aria-label="Meer nieuws">
              <ul>
                {[...sections].map(([path, title]) => (
                  <li>
                    <a href={path}>{title}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
    </>
  );
}

/** A news section's list, 10 a page (`?pagina=N`). */
export function NewsPage(props: {
  section: SectionView;
  articles: ArticleSummary[];
  page: number;
  pages: number;
  total: number;
}) {
  const { section } = props;
  return (
    <>
      <h1>
        {section.title}
        {props.page > 1 && <span class="visually-hidden"> — pagina {props.page}</span>}
      </h1>
      <p class="meta">
        {props.total} {props.total === 1 ? 'bericht' : 'berichten'}
        {props.pages > 1 && `, pagina ${props.page} van ${props.pages}`}
      </p>
      {props.articles.length === 0 ? (
        <p>Er zijn nog geen berichten.</p>
      ) : (
        <ArticleList articles={props.articles} />
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={(page) => (page === 1 ? section.path : `${section.path}?pagina=${page}`)}
      />
    </>
  );
}

export function ArticlePage(props: {
  article: ArticleDetail;
  /** The canonical URL (from SITE_URL), for the share block. */
  url: string;
  previous: Neighbour | null;
  next: Neighbour | null;
  /** The article's section, which the breadcrumb leads back to. */
  section: SectionView;
}) {
  const { article } = props;
  return (
    <article class="article" aria-labelledby="artikel-titel">
      <header>
        <p class="breadcrumb">
          <a href={props.section.path}>{props.section.title}</a>
        </p>
        <h1 id="artikel-titel">{article.title}</h1>
        <p class="meta">
          <PublishedDate date={article.publishedAt} prefix="Geplaatst op " />
        </p>
      </header>
      <div class="article-body">
        <ArticleBody body={article.body} />
      </div>
      {article.source && <p class="source">Bron: {article.source}</p>}
      <ShareBlock slug={article.slug} url={props.url} title={article.title} />
      {(props.previous || props.next) && (
        <nav class="article-nav" aria-label="Meer nieuws">
          {props.previous ? (
            <a href={articlePath(props.previous)} rel="prev">
              <span class="label">Vorig bericht</span> {props.previous.title}
            </a>
          ) : (
            <span />
          )}
          {props.next ? (
            <a href={articlePath(props.next)} rel="next">
              <span class="label">Volgend bericht</span> {props.next.title}
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
    </article>
  );
}

export function ParticipantsPage({ sidebar }: { sidebar: Sidebar }) {
  return (
    <>
      <h1>Participanten</h1>
      <p>Deze organisaties van overheids- en onderwijswerkgevers werken samen in {SITE_NAME}.</p>
      <ul class="participants">
        {sidebar.participants.map((p) => (
          <li id={p.slug}>{p.name}</li>
        ))}
      </ul>
    </>
  );
}

export function AboutPage({ sidebar }: { sidebar: Sidebar }) {
  return (
    <>
      <h1>Over {SITE_NAME}</h1>
      <p class="lead">{sidebar.about?.text}</p>
      <p>
        Bekijk de <a href={paths.participants}>participanten</a> of lees het <a href={paths.news}>nieuws</a>.
      </p>
    </>
  );
}

export function FeaturedPage({ sidebar }: { sidebar: Sidebar }) {
  return (
    <>
      <h1>{sidebar.featured?.title ?? 'Zelfstandige Publieke Werkgevers'}</h1>
      <p class="lead">{sidebar.featured?.text}</p>
    </>
  );
}

export function SearchPage(props: {
  query: string;
  results: SearchResult[] | null;
  /** Articles that match in all; the best of the newest `ranked` of them are shown. */
  total: number;
  /** False when no article holds every word and the results hold some of them. */
  allWords: boolean;
  /** "Bedoelde u …?": queries with the closest indexed words (schema/search-terms.ts). */
  suggestions: string[];
  ranked: number;
  page: number;
  pages: number;
  tooLong: boolean;
  /** Content pages holding every word, shown above the articles. */
  pageResults?: PageResult[];
}) {
  const count = `${props.total} ${props.total === 1 ? 'resultaat' : 'resultaten'}`;
  return (
    <>
      <h1>Zoeken</h1>
      <SearchForm query={props.tooLong ? '' : props.query} />
      {props.tooLong && (
        <p class="notice" role="status">
          Uw zoekopdracht is te lang. Gebruik maximaal {MAX_QUERY_LENGTH} tekens.
        </p>
      )}
      {props.results && props.pageResults && <SearchPages pages={props.pageResults} />}
      {props.results && (
        <section aria-labelledby="resultaten">
          <h2 id="resultaten">
            {props.total === 0 ? `Geen resultaten voor “${props.query}”` : `${count} voor “${props.query}”`}
            {props.pages > 1 && <span class="visually-hidden"> — pagina {props.page}</span>}
          </h2>
          {props.suggestions.length > 0 && (
            <p class="suggestion">
              Bedoelde u:{' '}
              {props.suggestions.map((suggestion, i) => (
                <>
                  {i > 0 && ' of '}
                  <a href={searchPath(suggestion)}>{suggestion}</a>
                </>
              ))}
              ?
            </p>
          )}
          {!props.allWords && (
            <p class="meta">
              Geen bericht bevat al deze woorden. Hieronder de berichten met de meeste ervan.
            </p>
          )}
          {props.total > props.ranked && (
            <p class="meta">
              De {props.ranked} nieuwste berichten met deze woorden staan op volgorde van relevantie. Maak uw
              zoekopdracht specifieker om ook oudere berichten te vinden.
            </p>
          )}
          {props.results.length > 0 && (
            <ol class="article-list search-results">
              {props.results.map((result) => (
                <ArticleItem article={result} headingLevel={3} date="long">
                  <Highlighted snippet={result.snippet} />
                </ArticleItem>
              ))}
            </ol>
          )}
          <Pagination
            page={props.page}
            pages={props.pages}
            href={(page) => searchPath(props.query, page)}
            labels={['« Vorige resultaten', 'Volgende resultaten »']}
          />
        </section>
      )}
    </>
  );
}

export function NotFoundPage() {
  return (
    <>
      <h1>Pagina niet gevonden</h1>
      <p>Deze pagina bestaat niet (meer). Misschien is hij verplaatst, of is het adres niet helemaal goed.</p>
      <SearchForm id="q-404" />
      <p>
        Of ga naar de <a href={paths.home}>homepage</a> of naar het <a href={paths.news}>nieuwsoverzicht</a>.
      </p>
    </>
  );
}

export function ErrorPage({ retry }: { retry: boolean }) {
  return (
    <>
      <h1>Er ging even iets mis</h1>
      <p>
        Deze pagina kan op dit moment niet worden getoond.{' '}
        {retry ? 'Probeer het over een paar minuten opnieuw.' : 'Probeer het later opnieuw.'}
      </p>
      <p>
        Ga naar de <a href={paths.home}>homepage</a>.
      </p>
    </>
  );
}

/** A form of this site sent from somewhere else (the Mastodon form's POST without our Origin). */
export function ForbiddenPage() {
  return (
    <>
      <h1>Niet toegestaan</h1>
      <p>
        Dit formulier kan alleen vanaf deze site worden verstuurd. Ga terug naar het artikel en probeer het
        opnieuw.
      </p>
      <p>
        Ga naar de <a href={paths.home}>homepage</a>.
      </p>
    </>
  );
}

/** A method the URL does not answer (405), with the methods it does in `Allow`. */
export function MethodNotAllowedPage({ allow }: { allow: string }) {
  return (
    <>
      <h1>Deze methode is niet toegestaan</h1>
      <p>Dit adres kan alleen worden opgevraagd met {allow}.</p>
      <p>
        Ga naar de <a href={paths.home}>homepage</a>.
      </p>
    </>
  );
}

/**
 * Mastodon has no central share page: every visitor has an instance of their own. The form POSTs
 * it back to /deel/{slug}/mastodon, which checks it (and that the form is ours) and redirects;
 * assets/share.js remembers it.
 */
export function MastodonSharePage(props: {
  action: string;
  article: { url: string; title: string };
  instance: string;
  invalid: boolean;
}) {
  return (
    <>
      <h1>Delen op Mastodon</h1>
      <p>
        U deelt <a href={props.article.url}>{props.article.title}</a>. Op welke Mastodon-server heeft u een
        account?
      </p>
      <form class="mastodon-form" method="post" action={props.action} data-mastodon-form>
        <label for="instance">Uw Mastodon-server</label>
        <p id="instance-hint" class="hint">
          Alleen de naam van de server, bijvoorbeeld mastodon.social of mastodon.nl.
        </p>
        {props.invalid && (
          <p id="instance-error" class="notice" role="alert">
            “{props.instance}” is geen geldige servernaam. Vul alleen de naam in, zonder https:// of /.
          </p>
        )}
        <input
          id="instance"
          name="instance"
          type="text"
          inputmode="url"
          autocomplete="off"
          spellcheck={false}
          required
          maxlength={253}
          value={props.instance}
          aria-describedby={props.invalid ? 'instance-hint instance-error' : 'instance-hint'}
          aria-invalid={props.invalid ? 'true' : undefined}
        />
        <button type="submit">Delen op Mastodon</button>
      </form>
    </>
  );
}

import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { addressKey } from '../../schema/addresses.ts';
import { assets } from '../assets-manifest.ts';
import type { MenuItem, Sidebar } from '../queries/chrome.ts';
import { navigation, paths, SITE_NAME, SITE_TAGLINE } from '../site.ts';
import { type ArticleMeta, type ContentPageMeta, SocialMeta } from './social-meta.tsx';

export interface PageMeta {
  /** Page title without the site name; null for the home page. */
  title: string | null;
  description: string;
  /** Path of the canonical URL, e.g. "/over-vso". */
  path: string;
  /** Path of the current navigation item, for aria-current. */
  section?: string;
  noindex?: boolean;
  /** Article pages: og:type article, their own social card, JSON-LD NewsArticle, oEmbed discovery. */
  article?: ArticleMeta;
  /** Content pages: JSON-LD WebPage with their breadcrumbs (BreadcrumbList). */
  page?: ContentPageMeta;
  /** Load assets/share.js, the enhancements of the share block and the Mastodon form. */
  shareScript?: boolean;
}

export interface LayoutProps extends PageMeta {
  siteUrl: string;
  sidebar: Sidebar | null;
  /** The menu the seed wrote (site_meta 'menu'); without it the static navigation (worker/site.ts). */
  menu?: MenuItem[] | null;
  children?: Child;
}

/**
 * aria-current of a menu link: `page` for the current page (or the navigation item a page belongs
 * to, `section`), `true` for an address above it (WAI-ARIA 1.2: "true" marks the current item in a
 * set, here the branch the page is in). Addresses compare without their trailing slash.
 */
function currentness(path: string, current: string): 'page' | 'true' | undefined {
  const key = addressKey(path);
  const here = addressKey(current);
  if (key === here) return 'page';
  return key !== '/' && here.startsWith(`${key}/`) ? 'true' : undefined;
}

/** The menu, two levels as nested lists: no script, the same list in the wide and narrow menus. */
function Navigation({ items, current }: { items: readonly MenuItem[]; current: string }) {
  return (
    <ul>
      {items.map((item) => (
        <li class={item.children ? 'has-children' : undefined}>
          <a href={item.path} aria-current={currentness(item.path, current)}>
            {item.label}
          </a>
          {item.children && (
            <ul>
              {item.children.map((child) => (
                <li>
                  <a href={child.path} aria-current={currentness(child.path, current)}>
                    {child.label}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

function SidebarView({ sidebar }: { sidebar: Sidebar }) {
  return (
    <aside class="sidebar" aria-label={`Over ${SITE_NAME}`}>
      {sidebar.about && (
        <section aria-labelledby="zijbalk-over">
          <h2 id="zijbalk-over">Over {SITE_NAME}</h2>
          <p>{sidebar.about.text}</p>
          <p>
            <a href={sidebar.about.url}>
              Lees verder<span class="visually-hidden"> over {SITE_NAME}</span>
            </a>
          </p>
        </section>
      )}
      {sidebar.participants.length > 0 && (
        <section aria-labelledby="zijbalk-participanten">
          <h2 id="zijbalk-participanten">
            <a href={paths.participants}>Participanten</a>
          </h2>
          <ul class="participant-list">
            {sidebar.participants.map((p) => (
              <li>
                <a href={`${paths.participants}#${p.slug}`}>{p.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {sidebar.featured && (
        <section aria-labelledby="zijbalk-uitgelicht">
          <h2 id="zijbalk-uitgelicht">Uitgelicht</h2>
          <h3>{sidebar.featured.title}</h3>
          <p>{sidebar.featured.text}</p>
          <p>
            <a href={sidebar.featured.url}>
              Lees verder<span class="visually-hidden"> over {sidebar.featured.title}</span> »
            </a>
          </p>
        </section>
      )}
    </aside>
  );
}

/**
 * Markup rendered once by hono/jsx and reused as its output (`raw` of what hono/jsx escaped, never
 * of content): most of a page's frame is the same on every page, and rendering it is most of the
 * render's CPU. Only synchronous components come here.
 */
function prerendered(node: Child): HtmlEscapedString {
  const markup = (node as { toString(): string | Promise<string> }).toString();
  if (typeof markup !== 'string') throw new Error('prerendered: only synchronous markup can be kept');
  return raw(markup);
}

/** The `<head>` children and the footer that are the same on every page of a site URL. */
function frameOf(siteUrl: string) {
  // Rendered inside <head>, as on the page: hono/jsx renders <meta> there as it is.
  const head = (children: Child) =>
    prerendered(<head>{children}</head>).slice('<head>'.length, -'</head>'.length);
  return {
    siteUrl,
    headStart: raw(
      head(
        <>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
        </>,
      ),
    ),
    headEnd: raw(
      head(
        <>
          <link rel="stylesheet" href={assets.css} />
          <link rel="icon" href={assets.favicon} type="image/svg+xml" />
          <link
            rel="alternate"
            type="application/rss+xml"
            title={`${SITE_NAME} — Nieuws`}
            href={`${siteUrl}${paths.feed}`}
          />
          <meta name="theme-color" content="#00385f" />
        </>,
      ),
    ),
    footer: prerendered(
      <footer class="site-footer">
        <div class="wrap">
          <p>
            © {SITE_NAME} — {SITE_TAGLINE}
          </p>
          <ul>
            <li>
              <a href={paths.feed}>RSS-feed</a>
            </li>
            <li>
              <a href={paths.sitemap}>Sitemap</a>
            </li>
            <li>
              <a href={paths.search}>Zoeken</a>
            </li>
          </ul>
        </div>
      </footer>,
    ),
  };
}
let frame: ReturnType<typeof frameOf> | undefined;

/** At most this many headers per menu (one per current address); then they are rendered anew. */
const HEADERS_PER_MENU = 256;
const headers = new WeakMap<readonly MenuItem[], Map<string, HtmlEscapedString>>();

/** The skip link and the header with the menu, kept per menu object and current address. */
function headerOf(items: readonly MenuItem[], current: string): HtmlEscapedString {
  let byCurrent = headers.get(items);
  if (!byCurrent) {
    byCurrent = new Map();
    headers.set(items, byCurrent);
  }
  let markup = byCurrent.get(current);
  if (markup) return markup;
  markup = prerendered(
    <>
      <a class="skip-link" href="#inhoud">
        Naar de inhoud
      </a>
      <header class="site-header">
        <div class="wrap header-inner">
          <a class="brand" href={paths.home}>
            <img src={assets.logo} alt="" width="48" height="48" />
            <span>
              <span class="brand-name">{SITE_NAME}</span>
              <span class="brand-tagline">{SITE_TAGLINE}</span>
            </span>
          </a>
          <nav class="nav-wide" aria-label="Hoofdmenu">
            <Navigation items={items} current={current} />
          </nav>
          <details class="nav-narrow">
            <summary>Ga naar...</summary>
            <nav aria-label="Hoofdmenu (mobiel)">
              <Navigation items={items} current={current} />
            </nav>
          </details>
        </div>
      </header>
    </>,
  );
  if (byCurrent.size >= HEADERS_PER_MENU) byCurrent.clear();
  byCurrent.set(current, markup);
  return markup;
}

/** The sidebar's markup, kept per sidebar object (queries/chrome.ts gives the same one per content). */
const sidebars = new WeakMap<Sidebar, HtmlEscapedString>();
function sidebarMarkup(sidebar: Sidebar): HtmlEscapedString {
  let markup = sidebars.get(sidebar);
  if (!markup) {
    markup = prerendered(<SidebarView sidebar={sidebar} />);
    sidebars.set(sidebar, markup);
  }
  return markup;
}

/** The frame of every page: head, header with navigation, main content, sidebar and footer. */
export function Layout(props: LayoutProps) {
  const items = props.menu ?? navigation;
  const current = props.section ?? props.path;
  const fullTitle = props.title ? `${props.title} | ${SITE_NAME}` : `${SITE_NAME} — ${SITE_TAGLINE}`;
  if (frame?.siteUrl !== props.siteUrl) frame = frameOf(props.siteUrl);
  return (
    <html lang="nl">
      <head>
        {frame.headStart}
        <title>{fullTitle}</title>
        <meta name="description" content={props.description} />
        {props.noindex ? (
          <meta name="robots" content="noindex" />
        ) : (
          <link rel="canonical" href={`${props.siteUrl}${props.path}`} />
        )}
        <SocialMeta
          siteUrl={props.siteUrl}
          title={props.title ?? SITE_NAME}
          description={props.description}
          url={props.noindex ? null : `${props.siteUrl}${props.path}`}
          article={props.article}
          page={props.page}
        />
        {frame.headEnd}
        {props.shareScript && <script src={assets.share} defer />}
      </head>
      <body>
        {headerOf(items, current)}
        <div class="wrap page">
          <main id="inhoud" tabindex={-1}>
            {props.children}
          </main>
          {props.sidebar && sidebarMarkup(props.sidebar)}
        </div>
        {frame.footer}
      </body>
    </html>
  );
}

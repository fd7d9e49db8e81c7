import { DomUtils, parseDocument, parseFeed } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.ts';
import { makeDocument } from '../support/documents.ts';

// An article whose own text looks like markup: a feed reader must show it as text, never run it.
const TITLE = 'Banen <script>alert(1)</script> & <svg onload=alert(2)>';
const FIRST = 'Lees <a href="javascript:alert(3)">dit</a> & <img src=x onerror=alert(4)> nu.';

let app: TestApp;
beforeAll(async () => {
  app = await startApp([
    {
      name: 'markup.txt',
      text: makeDocument({ title: TITLE, body: [FIRST, 'Een tweede alinea.'], date: 'vrijdag 1 maart 2019' }),
    },
  ]);
});
afterAll(async () => {
  await app?.close();
});

/** What a reader that renders the element's text as HTML shows: its elements and its text. */
function rendered(html: string): { elements: string[]; text: string } {
  const nodes = parseDocument(html).children;
  const elements = DomUtils.findAll(() => true, nodes).map((element) => element.name);
  return { elements, text: DomUtils.textContent(nodes) };
}

describe('the feed gives readers the article text, never markup', () => {
  it('<title> and <description> render as the text the article holds', async () => {
    const feed = parseFeed(await (await app.fetch('/feed.xml')).text(), { xmlMode: true });
    const item = feed?.items.find((i) => i.title?.includes('Banen'));
    expect(item, 'the hostile article is in the feed').toBeDefined();
    const title = rendered(item?.title ?? '');
    expect(title.elements).toEqual([]);
    expect(title.text).toBe(TITLE);
    const description = rendered(item?.description ?? '');
    expect(description.elements).toEqual([]);
    expect(description.text).toContain('Lees <a href="javascript:alert(3)">dit</a>');
    expect(description.text).toContain('<img src=x onerror=alert(4)>');
  });
});

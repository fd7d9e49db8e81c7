import { stemmer } from '@orama/stemmers/dutch';

/**
 * What the search index holds and how a visitor's words are matched against it, shared by the seed
 * (which writes the index text) and the Worker (which turns a query into FTS5 expressions), so that
 * both fold, stem and split words exactly alike.
 *
 * One FTS5 table (`articles_search`, unicode61, detail=column) holds per article seven columns:
 * the words of the title and of the body, their Snowball Dutch stems, their parts, and the glossary
 * forms of every glossary entry the article mentions. Parts make compounds findable: for each word of
 * five letters or more, the word without its last letter and every ending of four letters or more
 * after its first letter (`banenafspraak` → `banenafspraa`, `anenafspraak`, …, `afspraak`, …, `raak`).
 * A prefix query on the parts (`"0afspraak"*`, see PART_MARK) then finds the word wherever the query word stands
 * inside it, but never the word itself, so that the exact word and its parts stay apart for ranking.
 * (A trigram index over the same text answers the same question, but each of its phrases is several
 * long doclists with positions: at 10,000 articles ranking and counting took 12–15 ms against 2–4 ms
 * here. The trigram tokenizer serves the suggestions instead, over the index's vocabulary.)
 */

/** Lowercase, without diacritics: "Creëren" → "creeren" (as unicode61 remove_diacritics 2 folds). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a text as the index sees them: runs of letters and digits, folded. */
export function wordsOf(text: string): string[] {
  return (fold(text.normalize('NFC')).match(WORD) ?? []) as string[];
}

/**
 * Words longer than this have no stem (they are their own) and no parts. A word's parts hold about
 * half its length squared in letters (every ending), so one 20,000-letter word made 200 million
 * letters of index text (the database grew by 878 MB), and the stemmer takes seconds on such a word.
 * Dutch compounds rarely pass 30 letters (the longest of bench/search/ is
 * `kennisalliantiebanenafspraak`, 28; `arbeidsongeschiktheidsverzekeringen` has 35), so every real
 * one keeps its stem and parts, and a word has at most 37 parts of at most 39 letters each. The
 * Worker stems a visitor's words with this same function, so index and query agree.
 */
const WORD_FORMS_MAX = 40;

/** The Snowball Dutch stem of a folded word: `banen` and `baan` → `ban`. */
export function stem(word: string): string {
  return word.length > WORD_FORMS_MAX || /\p{N}/u.test(word) ? word : stemmer(word);
}

/** Query words shorter than this are not looked for inside other words. */
const PART_MIN = 4;

/**
 * At most this many distinct parts per column of an article, those of its first words: 24 Dutch
 * articles together (bench/search/, 14 KB) have 3,732, and a long real article (70 KB) about 15,000.
 * A 256 KiB document of distinct 40-letter words had 210,000 (5 MB of index text, 19 MB of database).
 */
const PARTS_MAX = 25_000;

/** The parts of a folded word that a compound query finds it by (see above). */
export function partsOf(word: string): string[] {
  if (word.length <= PART_MIN || word.length > WORD_FORMS_MAX || /\p{N}/u.test(word)) return [];
  const out = [word.slice(0, -1)];
  for (let i = 1; i + PART_MIN <= word.length; i++) out.push(word.slice(i));
  return out;
}

/**
 * Rowids of the search index sort the newest publication first (then the newest row), so that
 * "the newest N matches" is FTS5's own rowid order, which it reads without sorting:
 * (99999999 − YYYYMMDD) × SPAN + (SPAN − 1 − id). The triggers of the migration compute the same
 * (drizzle/0004_search.sql) and the Worker turns a rowid back into the article id with `articleIdSql`.
 */
const ROWID_SPAN = 10_000_000;
export const articleIdSql = (hit: string) => `(${ROWID_SPAN - 1} - ${hit} % ${ROWID_SPAN})`;

/**
 * The smallest rowid of an article dated `today` (YYYY-MM-DD) or earlier: `rowid >= this` is the
 * public part of the index, since a scheduled article's rowid is smaller (drafts are not indexed).
 */
export const publicRowidFrom = (today: string) =>
  (99_999_999 - Number(today.replaceAll('-', ''))) * ROWID_SPAN;

/** A glossary entry: a term (usually an abbreviation) and the names it stands for. */
export interface GlossaryEntry {
  term: string;
  names: string[];
}

const unique = (list: string[]) => [...new Set(list)];

/** Whether `needle` occurs in `words` as consecutive words. */
function containsSequence(words: string[], positions: Map<string, number[]>, needle: string[]): boolean {
  const first = needle[0];
  if (first === undefined) return false;
  return (positions.get(first) ?? []).some((at) => needle.every((word, i) => words[at + i] === word));
}

/** The glossary entries that a text names by any of their forms (term or names). */
export function entriesNamedIn(words: string[], glossary: GlossaryEntry[]): GlossaryEntry[] {
  const positions = new Map<string, number[]>();
  words.forEach((word, i) => {
    // Pushed, not copied: a copy per occurrence made a word repeated n times cost n² (40,000 × "a."
    // took 51 s).
    const at = positions.get(word);
    if (at) at.push(i);
    else positions.set(word, [i]);
  });
  return glossary.filter((entry) =>
    [entry.term, ...entry.names].some((form) => containsSequence(words, positions, wordsOf(form))),
  );
}

/** The text of the seven columns of one article in the search index. */
export interface SearchColumns {
  title: string;
  titleStems: string;
  titleParts: string;
  body: string;
  bodyStems: string;
  bodyParts: string;
  aliases: string;
}

/**
 * Part tokens carry a digit of their column in front (words with digits have no parts), so that a
 * prefix query on parts merges only the parts of that column: `"0werkgever"*` reads the articles that
 * hold `werkgever` inside a longer word, not every article's `werkgevers` and its stem `werkgever`.
 */
const PART_MARK = { title: '1', body: '0' } as const;

/** The distinct parts of `words` in their order, the first PARTS_MAX only (and no more work). */
function partsOfAll(words: string[]): string[] {
  const out = new Set<string>();
  for (const word of words) {
    for (const part of partsOf(word)) {
      if (out.size === PARTS_MAX) return [...out];
      out.add(part);
    }
  }
  return [...out];
}

function columnsOf(words: string[], mark: string) {
  const stems = words.map(stem);
  return {
    words: words.join(' '),
    stems: stems.join(' '),
    parts: partsOfAll([...words, ...stems])
      .map((part) => mark + part)
      .join(' '),
  };
}

/**
 * The index text of an article from its title and plain body text: every form of each glossary
 * entry it names goes to `aliases`, so that `BZK` finds an article that writes "Binnenlandse Zaken
 * en Koninkrijksrelaties" and the other way round.
 */
export function searchColumns(title: string, bodyText: string, glossary: GlossaryEntry[]): SearchColumns {
  const titleWords = wordsOf(title);
  const bodyWords = wordsOf(bodyText);
  const t = columnsOf(titleWords, PART_MARK.title);
  const b = columnsOf(bodyWords, PART_MARK.body);
  const named = entriesNamedIn([...titleWords, '', ...bodyWords], glossary);
  const aliases = unique(named.flatMap((entry) => [entry.term, ...entry.names].flatMap(wordsOf)));
  return {
    title: t.words,
    titleStems: t.stems,
    titleParts: t.parts,
    body: b.words,
    bodyStems: b.stems,
    bodyParts: b.parts,
    aliases: aliases.join(' '),
  };
}

/** At most this many words of a query are searched for (the rest is ignored). */
const QUERY_WORDS_MAX = 12;

/** The words of a visitor's query as typed (not folded), at most QUERY_WORDS_MAX. */
export function queryWords(input: string): string[] {
  return (input.normalize('NFC').match(WORD) ?? []).slice(0, QUERY_WORDS_MAX);
}

/** The FTS5 expressions of one query: what matches at all, and the three ranking tiers. */
export interface QueryPlan {
  /** Folded query words and their stems. */
  words: { word: string; stem: string }[];
  /** Every word matches somewhere: as written, as stem or as part of a word. */
  any: string;
  /** Every word matches in the title, in any of the three ways. */
  title: string;
  /** Every word matches as written (title, body or a glossary form). */
  exact: string;
  /** Every word matches as written or as stem. */
  stemmed: string;
  /** Each word on its own, as `any` matches it: for a query no article holds all words of. */
  each: string[];
}

/**
 * Turns a visitor's query into FTS5 expressions. Every term is a run of letters and digits in double
 * quotes, so no FTS5 syntax (quotes, `*`, NEAR, column filters, AND/OR/NOT) can come from the input.
 * Short words (up to 3 letters) match as a prefix, through the index's prefix indexes; longer ones
 * as whole words, and as prefixes of parts. Null when nothing searchable is left.
 */
export function queryPlan(input: string): QueryPlan | null {
  const words = queryWords(input).map((typed) => {
    const word = fold(typed);
    return { word, stem: stem(word) };
  });
  if (words.length === 0) return null;
  const q = (term: string) => `"${term}"`;
  const exact = ({ word }: { word: string }) => (word.length < PART_MIN ? `${q(word)}*` : q(word));
  const parts = ({ word, stem: s }: { word: string; stem: string }, marks: string[]) => {
    if (word.length < PART_MIN) return null;
    // A stem that starts the word finds every part the word finds, and more (`werkgever` of `werkgevers`).
    const prefixes =
      s.length >= PART_MIN && word.startsWith(s)
        ? [s]
        : s.length >= PART_MIN && s !== word
          ? [word, s]
          : [word];
    return `(${marks.flatMap((mark) => prefixes.map((prefix) => `${q(mark + prefix)}*`)).join(' OR ')})`;
  };
  const all = (each: (w: { word: string; stem: string }) => string) =>
    words.map((w) => `(${each(w)})`).join(' AND ');
  const anyWay = (w: { word: string; stem: string }) =>
    or(
      `{title body aliases} : ${exact(w)}`,
      `{title_stems body_stems} : ${q(w.stem)}`,
      p(w, 'title_parts body_parts', [PART_MARK.title, PART_MARK.body]),
    );
  const or = (...alternatives: (string | null)[]) => alternatives.filter(Boolean).join(' OR ');
  const p = (w: { word: string; stem: string }, columns: string, marks: string[]) => {
    const expression = parts(w, marks);
    return expression && `{${columns}} : ${expression}`;
  };
  return {
    words,
    any: all(anyWay),
    title: all((w) =>
      or(`{title} : ${exact(w)}`, `{title_stems} : ${q(w.stem)}`, p(w, 'title_parts', [PART_MARK.title])),
    ),
    exact: all((w) => `{title body aliases} : ${exact(w)}`),
    stemmed: all((w) => or(`{title body aliases} : ${exact(w)}`, `{title_stems body_stems} : ${q(w.stem)}`)),
    each: words.map(anyWay),
  };
}

/** Where a folded word of a text matches a query word: the query word's index and the range to mark. */
export type WordMatch = { hit: number; from: number; to: number } | null;

/**
 * How the snippet finds what matched in a result's text, in the same three ways as the index (plus
 * the glossary forms of the entries the query names): a word that starts with a query word or has its
 * stem is marked whole; a compound only where the query word (or its stem) stands inside it.
 */
export function wordMatcher(plan: QueryPlan, glossary: GlossaryEntry[] = []): (folded: string) => WordMatch {
  const queryFolded = plan.words.map((w) => w.word);
  const related = new Map<string, number>();
  entriesNamedInQuery(queryFolded, glossary).forEach((entry, i) => {
    for (const form of [entry.term, ...entry.names]) {
      // The words of a name that carry it: not every "en" and "van" of the text.
      const words = wordsOf(form);
      for (const word of words.length === 1 ? words : words.filter((w) => w.length >= PART_MIN)) {
        if (!related.has(word)) related.set(word, plan.words.length + i);
      }
    }
  });
  return (folded) => {
    let stemmed: string | undefined;
    for (const [hit, { word, stem: s }] of plan.words.entries()) {
      if (folded.startsWith(word)) return { hit, from: 0, to: folded.length };
      stemmed ??= stem(folded);
      if (stemmed === s) return { hit, from: 0, to: folded.length };
      // A word longer than WORD_FORMS_MAX has no parts in the index, so none is marked inside it.
      const inside = word.length >= PART_MIN && folded.length <= WORD_FORMS_MAX;
      for (const part of inside ? unique([word, s]) : []) {
        if (part.length < PART_MIN) continue;
        const at = folded.indexOf(part, 1);
        if (at > 0) return { hit, from: at, to: at + part.length };
      }
    }
    const entry = related.get(folded);
    return entry === undefined ? null : { hit: entry, from: 0, to: folded.length };
  };
}

/**
 * The glossary entries a query names: its words hold the term, or all words of one of the names,
 * each as a whole word (so `Zaken` alone names no ministry).
 */
function entriesNamedInQuery(words: string[], glossary: GlossaryEntry[]): GlossaryEntry[] {
  const set = new Set(words);
  return glossary.filter((entry) =>
    [entry.term, ...entry.names].some((form) => {
      const formWords = wordsOf(form);
      return formWords.length > 0 && formWords.every((word) => set.has(word));
    }),
  );
}

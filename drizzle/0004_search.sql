CREATE TABLE `glossary` (
	`term` text PRIMARY KEY NOT NULL,
	`names` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `articles` ADD `search_text` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `articles` ADD `search_hash` text;--> statement-breakpoint
-- The search index (schema/search-terms.ts says what each column holds). Contentless: the text is in
-- articles.search_text (JSON, written by the seed), the index holds only tokens; contentless_delete
-- lets the triggers delete by rowid. detail=column: every query term is one token, so positions are
-- never needed, and without them a page of matches at 10,000 articles reads a fraction of the bytes.
-- The rowid sorts the newest publication first: (99999999 − YYYYMMDD) × 10^7 + (10^7 − 1 − id).
CREATE VIRTUAL TABLE `articles_search` USING fts5(
  title, title_stems, title_parts, body, body_stems, body_parts, aliases,
  content='', contentless_delete=1, detail=column,
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `articles_search_insert` AFTER INSERT ON `articles` WHEN new.search_text <> '{}' BEGIN
  INSERT INTO articles_search(rowid, title, title_stems, title_parts, body, body_stems, body_parts, aliases)
  VALUES (
    (99999999 - cast(replace(new.published_at, '-', '') AS integer)) * 10000000 + (9999999 - new.id),
    new.search_text ->> '$.title', new.search_text ->> '$.titleStems', new.search_text ->> '$.titleParts',
    new.search_text ->> '$.body', new.search_text ->> '$.bodyStems', new.search_text ->> '$.bodyParts',
    new.search_text ->> '$.aliases'
  );
END;
--> statement-breakpoint
CREATE TRIGGER `articles_search_delete` AFTER DELETE ON `articles` BEGIN
  DELETE FROM articles_search
  WHERE rowid = (99999999 - cast(replace(old.published_at, '-', '') AS integer)) * 10000000 + (9999999 - old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_search_update` AFTER UPDATE OF published_at, search_text ON `articles` BEGIN
  DELETE FROM articles_search
  WHERE rowid = (99999999 - cast(replace(old.published_at, '-', '') AS integer)) * 10000000 + (9999999 - old.id);
  INSERT INTO articles_search(rowid, title, title_stems, title_parts, body, body_stems, body_parts, aliases)
  SELECT
    (99999999 - cast(replace(new.published_at, '-', '') AS integer)) * 10000000 + (9999999 - new.id),
    new.search_text ->> '$.title', new.search_text ->> '$.titleStems', new.search_text ->> '$.titleParts',
    new.search_text ->> '$.body', new.search_text ->> '$.bodyStems', new.search_text ->> '$.bodyParts',
    new.search_text ->> '$.aliases'
  WHERE new.search_text <> '{}';
END;
--> statement-breakpoint
-- Terms of the index's title and body columns, with the number of articles holding them per column.
CREATE VIRTUAL TABLE `articles_search_terms` USING fts5vocab(`articles_search`, 'col');
--> statement-breakpoint
-- "Bedoelde u …?": the words of the titles and bodies, found by the trigrams they share with a
-- misspelt word. Rebuilt by every seed that writes (pipeline/search-seed.ts).
CREATE VIRTUAL TABLE `search_vocabulary` USING fts5(term, docs UNINDEXED, tokenize='trigram');
--> statement-breakpoint
-- The word index it replaces: articles_search holds the same words (and more), newest first.
DROP TRIGGER `articles_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `articles_fts_delete`;
--> statement-breakpoint
DROP TRIGGER `articles_fts_update`;
--> statement-breakpoint
DROP TABLE `articles_fts`;

-- The search index of the content pages: the same seven columns as articles_search (schema/search-terms.ts),
-- so that one query plan searches both. Contentless: the text is in pages.search_text (JSON, written by
-- the seed; '{}' for drafts and the seed's indexes, which are never found). The rowid is the page's id:
-- pages have no date to order by, and are ranked by how they match, then by title.
CREATE VIRTUAL TABLE `pages_search` USING fts5(
  title, title_stems, title_parts, body, body_stems, body_parts, aliases,
  content='', contentless_delete=1, detail=column,
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `pages_search_insert` AFTER INSERT ON `pages` WHEN new.search_text <> '{}' BEGIN
  INSERT INTO pages_search(rowid, title, title_stems, title_parts, body, body_stems, body_parts, aliases)
  VALUES (
    new.id,
    new.search_text ->> '$.title', new.search_text ->> '$.titleStems', new.search_text ->> '$.titleParts',
    new.search_text ->> '$.body', new.search_text ->> '$.bodyStems', new.search_text ->> '$.bodyParts',
    new.search_text ->> '$.aliases'
  );
END;
--> statement-breakpoint
CREATE TRIGGER `pages_search_delete` AFTER DELETE ON `pages` BEGIN
  DELETE FROM pages_search WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `pages_search_update` AFTER UPDATE OF search_text ON `pages` BEGIN
  DELETE FROM pages_search WHERE rowid = old.id;
  INSERT INTO pages_search(rowid, title, title_stems, title_parts, body, body_stems, body_parts, aliases)
  SELECT
    new.id,
    new.search_text ->> '$.title', new.search_text ->> '$.titleStems', new.search_text ->> '$.titleParts',
    new.search_text ->> '$.body', new.search_text ->> '$.bodyStems', new.search_text ->> '$.bodyParts',
    new.search_text ->> '$.aliases'
  WHERE new.search_text <> '{}';
END;

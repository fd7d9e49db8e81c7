-- Full-text index over the articles (title, excerpt, body text). External content: the text lives in
-- `articles`, the index only holds tokens; triggers keep it in sync with every write to `articles`.
-- `remove_diacritics 2` makes "creeren" find "creëren"; prefix indexes speed up "bane*" queries.
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
  title, excerpt, body_text,
  content='articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `articles_fts_insert` AFTER INSERT ON `articles` BEGIN
  INSERT INTO articles_fts(rowid, title, excerpt, body_text) VALUES (new.id, new.title, new.excerpt, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_delete` AFTER DELETE ON `articles` BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body_text) VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_update` AFTER UPDATE OF title, excerpt, body_text ON `articles` BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body_text) VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
  INSERT INTO articles_fts(rowid, title, excerpt, body_text) VALUES (new.id, new.title, new.excerpt, new.body_text);
END;
--> statement-breakpoint
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');

DROP INDEX `articles_published_idx`;--> statement-breakpoint
CREATE INDEX `articles_public_idx` ON `articles` (`published_at`,`id`,`draft`);
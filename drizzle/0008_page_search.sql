ALTER TABLE `pages` ADD `search_text` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `pages` ADD `search_hash` text;
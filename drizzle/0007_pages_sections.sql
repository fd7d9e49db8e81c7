CREATE TABLE `page_addresses` (
	`path` text PRIMARY KEY NOT NULL,
	`page_id` integer NOT NULL,
	`kind` text NOT NULL,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`path` text NOT NULL,
	`key` text NOT NULL,
	`parent` text,
	`title` text NOT NULL,
	`excerpt` text NOT NULL,
	`body` text NOT NULL,
	`body_text` text NOT NULL,
	`virtual` integer DEFAULT false NOT NULL,
	`sidebar` integer DEFAULT true NOT NULL,
	`position` integer,
	`draft` integer DEFAULT false NOT NULL,
	`content_hash` text NOT NULL,
	`source_file` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_path_unique` ON `pages` (`path`);--> statement-breakpoint
CREATE UNIQUE INDEX `pages_key_unique` ON `pages` (`key`);--> statement-breakpoint
CREATE INDEX `pages_parent_idx` ON `pages` (`parent`);--> statement-breakpoint
CREATE TABLE `redirects` (
	`path` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sections` (
	`path` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `articles` ADD `section` text DEFAULT '/banenafspraak/nieuws' NOT NULL;--> statement-breakpoint
CREATE INDEX `articles_section_idx` ON `articles` (`section`,`published_at`,`id`,`draft`);--> statement-breakpoint
ALTER TABLE `site_blocks` ADD `url` text;
ALTER TABLE `articles` ADD `search_input` text;--> statement-breakpoint
ALTER TABLE `pages` ADD `search_input` text;
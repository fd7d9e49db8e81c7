CREATE TABLE `social_cards` (
	`article_id` integer PRIMARY KEY NOT NULL,
	`png` blob NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `articles` ADD `card_hash` text;
CREATE TABLE `media` (
	`source` text PRIMARY KEY NOT NULL,
	`processor` text NOT NULL,
	`kind` text NOT NULL,
	`width` integer,
	`height` integer,
	`bytes` integer NOT NULL,
	`content_type` text NOT NULL,
	`variants` text NOT NULL
);

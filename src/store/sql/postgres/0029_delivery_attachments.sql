-- A report sent through the outbox carries its CSV as an attachment: kept with the
-- delivery, so a retry after a crash sends the same file.

ALTER TABLE page_deliveries ADD COLUMN attachment_name TEXT;
ALTER TABLE page_deliveries ADD COLUMN attachment TEXT;

-- How far each journal has been shipped: the file, the byte offset after the last shipped line,
-- that line's seq and hash. Updated in the same transaction as the rows it covers, so rows and
-- cursor never disagree; the hash lets the shipper notice a journal that was replaced or reset.
CREATE TABLE audit_cursors (
  journal_id  text        PRIMARY KEY,
  file        text        NOT NULL,
  "offset"    bigint      NOT NULL CHECK ("offset" >= 0),
  seq         bigint      NOT NULL CHECK (seq >= 0),
  hash        text        NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

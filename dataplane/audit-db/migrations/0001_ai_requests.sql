-- One row per audit record (AuditRecordV1, schemas/audit-record.schema.json), shipped from the
-- replicas' JSONL journals. The first four columns are the ones security teams query first:
--   SELECT user_email, repo_name, ai_provider, timestamp FROM ai_requests ORDER BY timestamp DESC;
-- Partitioned by UTC day on "timestamp" (the record's time), so retention drops whole partitions.
-- The primary key holds the request id: shipping a record twice inserts it once (ON CONFLICT DO
-- NOTHING). It must include the partition key, which is the same for every copy of a record.
CREATE TABLE ai_requests (
  "timestamp"         timestamptz      NOT NULL,
  user_email          text,
  repo_name           text,
  ai_provider         text,
  request_id          text             NOT NULL,
  schema_version      smallint         NOT NULL,
  method              text             NOT NULL,
  route               text             NOT NULL,
  user_id             bigint,
  user_username       text,
  repo_id             bigint,
  model               text,
  stream              boolean,
  decision            text             NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
  reason              text,
  status              smallint         NOT NULL,
  file                text,
  redactions          jsonb            NOT NULL DEFAULT '{}',
  withheld_paths      jsonb            NOT NULL DEFAULT '[]',
  bytes_in            bigint           NOT NULL,
  bytes_out           bigint           NOT NULL,
  upstream_status     integer,
  key_index           integer,
  latency_total_ms    double precision NOT NULL,
  latency_ttfb_ms     double precision,
  latency_upstream_ms double precision,
  latency_gitlab_ms   double precision,
  bundle_serial       bigint,
  unscoped            boolean,
  client_ip           text,
  client_user_agent   text,
  -- Where the row came from: the journal, the line's seq and the SHA-256 of the line's bytes, so a
  -- row can be checked against the hash-chained journal it was shipped from.
  journal_id          text             NOT NULL,
  journal_seq         bigint           NOT NULL,
  line_hash           text             NOT NULL,
  shipped_at          timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, "timestamp")
) PARTITION BY RANGE ("timestamp");

CREATE INDEX ai_requests_timestamp_idx ON ai_requests ("timestamp" DESC);
CREATE INDEX ai_requests_user_email_idx ON ai_requests (user_email, "timestamp" DESC);
CREATE INDEX ai_requests_repo_name_idx ON ai_requests (repo_name, "timestamp" DESC);

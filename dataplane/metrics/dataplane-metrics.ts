import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.ts';
import { createRegistry, type Registry } from './registry.ts';

/** Where gauges read their values at scrape time; each is optional and can be attached later. */
export interface DataplaneMetricSources {
  /** `() => store.status()` */
  readonly bundle?: () => { readonly serial: number | null; readonly issuedAt: string | null };
  /** `() => journal.health()` */
  readonly journal?: () => { readonly pending: number; readonly writable: boolean; readonly dropped: number; readonly invalid: number };
  /** The audit shipper (startShipper's result). */
  readonly shipper?: {
    lag(): { readonly records: number; readonly seconds: number };
    stats(): { readonly connected: boolean; readonly shipped: number; readonly skipped: number; readonly chainBreaks: number };
  };
  /** Cache name → its hit and miss counters, e.g. `{ token: () => tokenCache.stats }`. */
  readonly caches?: Readonly<Record<string, () => { readonly hits: number; readonly misses: number }>>;
}

export interface DataplaneMetrics {
  /** Counts one finished request; call it with the audit record, in the audit `finally`. */
  observeRequest(record: AuditRecordV1): void;
  /** Adds or replaces value sources (for parts started after the metrics). */
  attach(sources: DataplaneMetricSources): void;
  /** The exposition text for `GET /metrics`. */
  render(): string;
  readonly contentType: string;
  readonly registry: Registry;
}

/** Seconds. Model calls stream for minutes, so the buckets reach 5 minutes. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const GITLAB_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The proxy's metrics. Labels are only bounded values — provider ids, decisions, statuses, reason
 * codes, redaction rule ids from the bundle, cache names — never users, repositories, models or
 * paths: those live in the audit records, and as labels they would grow without end and publish
 * who did what to anyone who can scrape.
 */
export function createDataplaneMetrics(initial: DataplaneMetricSources = {}, now: () => number = Date.now): DataplaneMetrics {
  let sources: DataplaneMetricSources = { ...initial };
  const r = createRegistry();
  const requests = r.counter({ name: 'aigate_requests_total', help: 'Requests answered, by provider (none when unknown), decision and HTTP status.', labelNames: ['provider', 'decision', 'status'] });
  const refusals = r.counter({ name: 'aigate_request_refusals_total', help: 'Denied or failed requests by reason code.', labelNames: ['decision', 'reason'] });
  const duration = r.histogram({ name: 'aigate_request_duration_seconds', help: 'Arrival to last byte sent.', labelNames: ['provider'], buckets: LATENCY_BUCKETS });
  const ttfb = r.histogram({ name: 'aigate_time_to_first_byte_seconds', help: 'Arrival to first response byte sent.', labelNames: ['provider'], buckets: LATENCY_BUCKETS });
  const upstream = r.histogram({ name: 'aigate_upstream_first_byte_seconds', help: 'Time waiting for the provider\'s first byte, for requests that reached a provider.', labelNames: ['provider'], buckets: LATENCY_BUCKETS });
  const gitlab = r.histogram({ name: 'aigate_gitlab_seconds', help: 'Time a request spent on GitLab calls (0 when served from cache).', buckets: GITLAB_BUCKETS });
  const bytes = r.counter({ name: 'aigate_request_bytes_total', help: 'Body bytes received from clients (in) and sent to them (out).', labelNames: ['direction'] });
  const redactions = r.counter({ name: 'aigate_redactions_total', help: 'Replacements made by redaction, by rule id.', labelNames: ['rule'] });
  const withheld = r.counter({ name: 'aigate_withheld_files_total', help: 'Excluded files whose contents were withheld from a provider.' });
  const unscoped = r.counter({ name: 'aigate_unscoped_requests_total', help: 'Requests that named no repository and were allowed by unscoped_requests: allow.' });

  const bundle = () => sources.bundle?.() ?? null;
  r.gauge({ name: 'aigate_bundle_active', help: '1 while a policy bundle is loaded, 0 when every AI request is denied for lack of one.', collect: () => (sources.bundle ? (bundle()?.serial != null ? 1 : 0) : null) });
  r.gauge({ name: 'aigate_bundle_serial', help: 'Serial of the active policy bundle.', collect: () => bundle()?.serial ?? null });
  r.gauge({
    name: 'aigate_bundle_age_seconds',
    help: 'Time since the active bundle was compiled (its issued_at): grows when the compiler stops publishing.',
    collect: () => {
      const issued = bundle()?.issuedAt;
      return issued ? Math.max(0, (now() - Date.parse(issued)) / 1000) : null;
    },
  });

  const journal = () => sources.journal?.() ?? null;
  r.gauge({ name: 'aigate_journal_pending_records', help: 'Audit records accepted but not yet written to the journal (journal lag).', collect: () => journal()?.pending ?? null });
  r.gauge({ name: 'aigate_journal_writable', help: '1 while the audit journal accepts writes; 0 means the proxy is failing closed.', collect: () => (journal() ? (journal()?.writable ? 1 : 0) : null) });
  r.counter({ name: 'aigate_journal_dropped_records_total', help: 'Audit records dropped because the journal queue was full.', collect: () => journal()?.dropped ?? null });
  r.counter({ name: 'aigate_journal_invalid_records_total', help: 'Audit records refused for failing their schema (a bug).', collect: () => journal()?.invalid ?? null });

  r.gauge({ name: 'aigate_shipper_lag_records', help: 'Journal records not yet in PostgreSQL.', collect: () => sources.shipper?.lag().records ?? null });
  r.gauge({ name: 'aigate_shipper_lag_seconds', help: 'Age of the oldest journal record not yet in PostgreSQL (0 when caught up).', collect: () => sources.shipper?.lag().seconds ?? null });
  r.gauge({ name: 'aigate_shipper_connected', help: '1 while the shipper has a PostgreSQL connection.', collect: () => (sources.shipper ? (sources.shipper.stats().connected ? 1 : 0) : null) });
  r.counter({ name: 'aigate_shipper_shipped_records_total', help: 'Rows the shipper inserted into ai_requests.', collect: () => sources.shipper?.stats().shipped ?? null });
  r.counter({ name: 'aigate_shipper_skipped_lines_total', help: 'Journal lines that were not valid records and were not shipped.', collect: () => sources.shipper?.stats().skipped ?? null });
  r.counter({ name: 'aigate_shipper_chain_breaks_total', help: 'Journal lines that did not continue the hash chain (run aigate audit verify).', collect: () => sources.shipper?.stats().chainBreaks ?? null });

  const cacheRows = (pick: (s: { hits: number; misses: number }) => number | null) => () =>
    Object.entries(sources.caches ?? {}).flatMap(([cache, stats]) => {
      const value = pick(stats());
      return value === null ? [] : [[{ cache }, value] as const];
    });
  r.counter({ name: 'aigate_cache_hits_total', help: 'Cache lookups answered from the cache.', labelNames: ['cache'], collect: cacheRows((s) => s.hits) });
  r.counter({ name: 'aigate_cache_misses_total', help: 'Cache lookups that had to ask GitLab.', labelNames: ['cache'], collect: cacheRows((s) => s.misses) });
  r.gauge({ name: 'aigate_cache_hit_ratio', help: 'Hits over lookups since start (absent before the first lookup).', labelNames: ['cache'], collect: cacheRows((s) => (s.hits + s.misses > 0 ? s.hits / (s.hits + s.misses) : null)) });
  r.counter({ name: 'aigate_metrics_dropped_series_total', help: 'Observations dropped because a metric reached its series limit.', collect: () => r.droppedSeries });

  return {
    observeRequest(record) {
      const provider = record.provider ?? 'none';
      requests.inc({ provider, decision: record.decision, status: record.status });
      if (record.decision !== 'allow') refusals.inc({ decision: record.decision, reason: record.reason ?? 'unknown' });
      duration.observe({ provider }, record.latency_ms.total / 1000);
      if (record.latency_ms.ttfb !== null) ttfb.observe({ provider }, record.latency_ms.ttfb / 1000);
      if (record.latency_ms.upstream !== null) upstream.observe({ provider }, record.latency_ms.upstream / 1000);
      if (record.latency_ms.gitlab !== null) gitlab.observe({}, record.latency_ms.gitlab / 1000);
      bytes.inc({ direction: 'in' }, record.bytes_in);
      bytes.inc({ direction: 'out' }, record.bytes_out);
      for (const [rule, count] of Object.entries(record.redactions)) redactions.inc({ rule }, count);
      if (record.withheld_paths.length > 0) withheld.inc({}, record.withheld_paths.length);
      if (record.unscoped) unscoped.inc();
    },
    attach(more) {
      sources = { ...sources, ...more };
    },
    render: () => r.render(),
    contentType: PROMETHEUS_CONTENT_TYPE,
    registry: r,
  };
}

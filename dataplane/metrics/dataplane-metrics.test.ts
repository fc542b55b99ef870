import { describe, expect, it } from 'vitest';
import { auditRecord } from '../audit/audit-fixtures.ts';
import { createDataplaneMetrics } from './dataplane-metrics.ts';
import { parseExposition, type Sample } from './parse-exposition.ts';

function value(samples: readonly Sample[] | undefined, labels: Record<string, string> = {}): number | undefined {
  return samples?.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe('dataplane metrics', () => {
  it('counts requests by provider, decision and status, with refusals, redactions and withheld files', () => {
    const m = createDataplaneMetrics();
    m.observeRequest(auditRecord(1, { redactions: { aws_access_key: 2, github_token: 1 }, withheld_paths: ['a.env', 'b.env'] }));
    m.observeRequest(auditRecord(2, { redactions: { aws_access_key: 1 } }));
    m.observeRequest(auditRecord(3, { provider: 'openai', decision: 'deny', reason: 'provider_not_allowed', status: 403, latency_ms: { total: 3, ttfb: 3, upstream: null, gitlab: 0 } }));
    m.observeRequest(auditRecord(4, { provider: null, user: null, decision: 'deny', reason: 'auth_missing', status: 401, latency_ms: { total: 1, ttfb: null, upstream: null, gitlab: null } }));
    const f = parseExposition(m.render());
    const requests = f.get('aigate_requests_total')?.samples;
    expect(value(requests, { provider: 'anthropic', decision: 'allow', status: '200' })).toBe(2);
    expect(value(requests, { provider: 'openai', decision: 'deny', status: '403' })).toBe(1);
    expect(value(requests, { provider: 'none', decision: 'deny', status: '401' })).toBe(1);
    expect(value(f.get('aigate_request_refusals_total')?.samples, { decision: 'deny', reason: 'auth_missing' })).toBe(1);
    expect(value(f.get('aigate_redactions_total')?.samples, { rule: 'aws_access_key' })).toBe(3);
    expect(value(f.get('aigate_redactions_total')?.samples, { rule: 'github_token' })).toBe(1);
    expect(value(f.get('aigate_withheld_files_total')?.samples)).toBe(2);
    const duration = f.get('aigate_request_duration_seconds')?.samples;
    expect(value(duration, { provider: 'anthropic', le: '0.025' })).toBe(2); // 12 ms each
    expect(value(duration?.filter((s) => s.name.endsWith('_sum')), { provider: 'anthropic' })).toBeCloseTo(0.024);
    // No first byte, no sample: the request without ttfb is not counted in that histogram.
    expect(value(f.get('aigate_time_to_first_byte_seconds')?.samples.filter((s) => s.name.endsWith('_count')), { provider: 'none' })).toBeUndefined();
    expect(value(f.get('aigate_request_bytes_total')?.samples, { direction: 'out' })).toBe(800);
  });

  it('never puts users, repositories, models or client values in labels', () => {
    const m = createDataplaneMetrics();
    m.observeRequest(auditRecord(1, { model: 'secret-model-name', client: { ip: '10.9.8.7', user_agent: 'agent-x' } }));
    const text = m.render();
    for (const leak of ['alice', 'example.com', 'group/app', 'secret-model-name', '10.9.8.7', 'agent-x', 'req-1']) expect(text).not.toContain(leak);
  });

  it('reads bundle, journal, shipper and cache values at scrape time', () => {
    let now = Date.parse('2025-03-04T10:00:00Z');
    const m = createDataplaneMetrics({ bundle: () => ({ serial: 17, issuedAt: '2025-03-04T09:00:00Z' }) }, () => now);
    let hits = 3;
    m.attach({
      journal: () => ({ pending: 4, writable: false, dropped: 1, invalid: 0 }),
      shipper: { lag: () => ({ records: 120, seconds: 9.5 }), stats: () => ({ connected: false, shipped: 1000, skipped: 2, chainBreaks: 1 }) },
      caches: { token: () => ({ hits, misses: 1 }), project: () => ({ hits: 0, misses: 0 }) },
    });
    let f = parseExposition(m.render());
    const one = (name: string, labels: Record<string, string> = {}) => value(f.get(name)?.samples, labels);
    expect(one('aigate_bundle_active')).toBe(1);
    expect(one('aigate_bundle_serial')).toBe(17);
    expect(one('aigate_bundle_age_seconds')).toBe(3600);
    expect(one('aigate_journal_pending_records')).toBe(4);
    expect(one('aigate_journal_writable')).toBe(0);
    expect(one('aigate_journal_dropped_records_total')).toBe(1);
    expect(one('aigate_shipper_lag_records')).toBe(120);
    expect(one('aigate_shipper_lag_seconds')).toBe(9.5);
    expect(one('aigate_shipper_connected')).toBe(0);
    expect(one('aigate_shipper_shipped_records_total')).toBe(1000);
    expect(one('aigate_cache_hit_ratio', { cache: 'token' })).toBe(0.75);
    expect(one('aigate_cache_hit_ratio', { cache: 'project' })).toBeUndefined();
    hits = 9;
    now += 60_000;
    f = parseExposition(m.render());
    expect(one('aigate_cache_hit_ratio', { cache: 'token' })).toBe(0.9);
    expect(one('aigate_bundle_age_seconds')).toBe(3660);
  });

  it('leaves source-backed metrics empty until a source is attached, and says when no bundle is loaded', () => {
    const m = createDataplaneMetrics();
    let f = parseExposition(m.render());
    expect(f.get('aigate_shipper_lag_records')?.samples).toEqual([]);
    expect(f.get('aigate_bundle_active')?.samples).toEqual([]);
    m.attach({ bundle: () => ({ serial: null, issuedAt: null }) });
    f = parseExposition(m.render());
    expect(value(f.get('aigate_bundle_active')?.samples)).toBe(0);
    expect(f.get('aigate_bundle_serial')?.samples).toEqual([]);
    expect(m.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

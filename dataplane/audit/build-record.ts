import type { RequestContext } from '../pipeline/request-context.ts';
import type { AuditRecordV1 } from './audit-record.ts';

const MAX_USER_AGENT = 256;

/** The audit record of a finished request: ids, counts and paths from the context, never content. */
export function buildAuditRecord(ctx: RequestContext, bundleSerial: number | null): AuditRecordV1 {
  const repo = ctx.project ? { id: ctx.project.id, path: ctx.project.path } : ctx.repoRequested ? { id: null, path: ctx.repoRequested.slice(0, 2048) } : null;
  const userAgent = ctx.req.headers['user-agent'];
  return {
    schema_version: 1,
    time: ctx.time.toISOString(),
    request_id: ctx.id,
    method: ctx.req.method ?? 'GET',
    route: ctx.route,
    user: ctx.user ? { id: ctx.user.id, username: ctx.user.username, email: ctx.user.email } : null,
    repo,
    provider: ctx.provider ?? null,
    model: ctx.model?.slice(0, 256) ?? null,
    stream: ctx.stream ?? null,
    decision: ctx.outcome.decision,
    reason: ctx.outcome.reason,
    status: ctx.outcome.status,
    ...(ctx.file !== undefined ? { file: ctx.file } : {}),
    redactions: { ...ctx.redactions },
    withheld_paths: [...ctx.withheld],
    bytes_in: ctx.bytesIn,
    bytes_out: ctx.bytesOut,
    upstream_status: ctx.upstreamStatus,
    key_index: ctx.keyIndex,
    latency_ms: { total: round(performance.now() - ctx.start), ttfb: ctx.ttfb === null ? null : round(ctx.ttfb), upstream: ctx.upstreamMs === null ? null : round(ctx.upstreamMs), gitlab: round(ctx.gitlabMs) },
    bundle_serial: bundleSerial,
    ...(ctx.unscoped ? { unscoped: true } : {}),
    client: { ip: ctx.req.socket.remoteAddress ?? '', ...(typeof userAgent === 'string' ? { user_agent: userAgent.slice(0, MAX_USER_AGENT) } : {}) },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

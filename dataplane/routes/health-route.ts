import type { Journal } from '../audit/journal.ts';
import type { BundleStore } from '../bundle/bundle-store.ts';
import type { GitLabHealth } from '../server/gitlab-health.ts';

export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly gitlab: 'connected' | 'unreachable';
  readonly audit: 'enabled' | 'failing';
  readonly bundle: Record<string, unknown>;
}

/**
 * GET /health: healthy (200) only with an active, unexpired bundle, GitLab reachable and the
 * journal writable. No bundle or an expired one is `unhealthy` (every request is denied); GitLab
 * or the journal failing is `degraded`; both answer 503 so a load balancer takes the replica out.
 */
export function healthReport(store: BundleStore, gitlab: GitLabHealth, journal: Journal, now = Date.now()): { code: number; body: HealthReport } {
  const status = store.status();
  const journalHealth = journal.health();
  const expiresAt = status.expiresAt ? Date.parse(status.expiresAt) : NaN;
  const expired = Number.isFinite(expiresAt) && expiresAt <= now;
  const bundle = {
    active: status.active && !expired,
    serial: status.serial,
    trust: status.trust === 'local' ? 'local (unsigned)' : status.trust,
    signer: status.signer,
    source: status.source,
    issued_at: status.issuedAt,
    expires_at: status.expiresAt,
    age_seconds: status.issuedAt ? Math.round((now - Date.parse(status.issuedAt)) / 1000) : null,
    expires_in_seconds: Number.isFinite(expiresAt) ? Math.round((expiresAt - now) / 1000) : null,
    loaded_at: status.loadedAt ? new Date(status.loadedAt).toISOString() : null,
    // A bundle being verified (in a worker) right now: a swap is coming, or a slow source is stuck.
    verifying: status.verifying,
    last_error: status.lastError ? { code: status.lastError.code, message: status.lastError.message, at: new Date(status.lastError.at).toISOString() } : null,
  };
  const gitlabState = gitlab.connected() ? 'connected' : 'unreachable';
  const auditState = journalHealth.writable ? 'enabled' : 'failing';
  const overall = !bundle.active ? 'unhealthy' : gitlabState !== 'connected' || auditState !== 'enabled' ? 'degraded' : 'healthy';
  return { code: overall === 'healthy' ? 200 : 503, body: { status: overall, gitlab: gitlabState, audit: auditState, bundle } };
}

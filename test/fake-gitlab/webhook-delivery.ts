import { randomUUID } from 'node:crypto';

export const GITLAB_USER_AGENT = 'GitLab/18.2.0';

export interface HookRegistration {
  readonly url: string;
  /** Sent verbatim as X-Gitlab-Token. */
  readonly token?: string;
  /** Default true. */
  readonly pushEvents?: boolean;
  /** Default true (project hooks only). */
  readonly mergeRequestsEvents?: boolean;
}

export interface Hook extends HookRegistration {
  readonly id: number;
  readonly uuid: string;
  readonly kind: 'project' | 'system';
  readonly projectId?: number;
}

/** One POST to a hook, as GitLab's "Recent events" shows it. */
export interface Delivery {
  readonly id: number;
  readonly hookId: number;
  readonly event: string;
  readonly eventUuid: string;
  readonly idempotencyKey: string;
  readonly payload: unknown;
  /** 0 when the receiver did not answer (connection error, timeout). */
  status: number;
  durationMs: number;
  error?: string;
  responseBody?: string;
}

/** GitLab's default webhook timeout (omnibus `webhook_timeout`). */
const TIMEOUT_MS = 10_000;

/**
 * POSTs one event to one hook with GitLab's headers. `Idempotency-Key` stays the same when the
 * delivery is resent; `X-Gitlab-Event-UUID` names the event.
 */
export async function deliver(hook: Hook, instance: string, event: string, payload: unknown, ids: { id: number; eventUuid?: string; idempotencyKey?: string }): Promise<Delivery> {
  const delivery: Delivery = { id: ids.id, hookId: hook.id, event, eventUuid: ids.eventUuid ?? randomUUID(), idempotencyKey: ids.idempotencyKey ?? randomUUID(), payload, status: 0, durationMs: 0 };
  const started = performance.now();
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': GITLAB_USER_AGENT,
        'X-Gitlab-Event': event,
        'X-Gitlab-Instance': instance,
        'X-Gitlab-Webhook-UUID': hook.uuid,
        'X-Gitlab-Event-UUID': delivery.eventUuid,
        'Idempotency-Key': delivery.idempotencyKey,
        ...(hook.token !== undefined ? { 'X-Gitlab-Token': hook.token } : {}),
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    delivery.status = response.status;
    delivery.responseBody = (await response.text()).slice(0, 2000);
  } catch (error) {
    delivery.error = (error as Error).message;
  }
  delivery.durationMs = performance.now() - started;
  return delivery;
}

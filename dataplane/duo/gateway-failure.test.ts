import { describe, expect, it } from 'vitest';
import { classifyGatewayFailure } from './gateway-failure.ts';

describe('classifyGatewayFailure', () => {
  it('asks for one refresh on the first 401, then gives up with duo_gateway_rejected', () => {
    expect(classifyGatewayFailure(401, '{"error":"Forbidden by auth provider"}', false)).toEqual({ action: 'refresh' });
    const second = classifyGatewayFailure(401, '{"error":"Forbidden by auth provider"}', true);
    expect(second.action === 'error' && second.error.code).toBe('duo_gateway_rejected');
  });

  it('maps billing, model and primitive refusals to stable codes', () => {
    const code = (status: number, body: string): string | undefined => {
      const f = classifyGatewayFailure(status, body, false);
      return f.action === 'error' ? f.error.code : f.action;
    };
    expect(code(402, '{"error":{"message":"insufficient_credits"}}')).toBe('duo_payment_required');
    expect(code(400, '{"detail":"Unsupported model"}')).toBe('duo_model_unsupported');
    expect(code(403, '{"detail":"Model is not allowed by the namespace model allowlist"}')).toBe('duo_model_not_allowed');
    expect(code(403, '{"detail":"Unauthorized to access ai_gateway_model_provider_proxy"}')).toBe('duo_not_enabled');
    expect(code(400, '{"detail":"Missing x-gitlab-unit-primitive header"}')).toBe('duo_gateway_rejected');
    expect(code(404, '{"detail":"Not found"}')).toBe('duo_gateway_rejected');
  });

  it('passes the provider\'s own errors through unchanged', () => {
    expect(classifyGatewayFailure(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}', false)).toEqual({ action: 'pass' });
    expect(classifyGatewayFailure(400, '{"error":{"message":"bad tool schema","type":"invalid_request_error"}}', false)).toEqual({ action: 'pass' });
    expect(classifyGatewayFailure(500, 'upstream exploded', false)).toEqual({ action: 'pass' });
  });
});

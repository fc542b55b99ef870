import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPkce, randomState } from './pkce.ts';

describe('PKCE', () => {
  it('makes an S256 challenge of a 43-character verifier', () => {
    const { verifier, challenge } = createPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('never repeats a verifier or a state', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => createPkce().verifier));
    const states = new Set(Array.from({ length: 50 }, () => randomState()));
    expect(verifiers.size).toBe(50);
    expect(states.size).toBe(50);
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';

export const REDIS_PORT = 6379;
export const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;

/** A key prefix of the test's own; every key under it is deleted when the test ends. */
export function testPrefix(area: string): string {
  const prefix = `aigate-test:${area}:${randomBytes(6).toString('hex')}:`;
  onTestFinished(() => deleteKeys(prefix));
  return prefix;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: false });
  try {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/** Keys under a prefix, through a plain client (not the code under test). */
export async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return (await redis.keys(`${prefix}*`)).sort();
  } finally {
    redis.disconnect();
  }
}

import { Anthropic } from '@anthropic-ai/sdk';
import { OpenAI } from 'openai';
import { afterEach, beforeEach } from 'vitest';
import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from './fake-provider.ts';

export const KEYS = ['fake-key-0', 'fake-key-1'] as const;

/** A fresh fake per test (two keys), closed afterwards. */
export function useFakeProvider(options: FakeProviderOptions = {}): () => FakeProvider {
  let fake: FakeProvider | undefined;
  beforeEach(async () => {
    fake = await startFakeProvider({ keys: KEYS, ...options });
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error('fake provider is not running');
    return fake;
  };
}

/** The official SDK pointed straight at the fake; retries off unless a test turns them on. */
export function anthropicClient(fake: FakeProvider, options: { maxRetries?: number; apiKey?: string } = {}): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey: options.apiKey ?? KEYS[0], maxRetries: options.maxRetries ?? 0 });
}

export function openaiClient(fake: FakeProvider, options: { maxRetries?: number; apiKey?: string } = {}): OpenAI {
  return new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: options.apiKey ?? KEYS[0], maxRetries: options.maxRetries ?? 0 });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

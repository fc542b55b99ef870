import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.ts';

describe('didYouMean', () => {
  const providers = ['anthropic', 'openai', 'github', 'codeium', 'gitlab-duo'];
  it.each([['antropic', 'anthropic'], ['gitlab_duo', 'gitlab-duo'], ['OpenAI', 'openai'], ['githbu', 'github']])('%s → %s', (input, expected) => {
    expect(didYouMean(input, providers)).toBe(expected);
  });

  it('stays quiet when nothing is close', () => {
    expect(didYouMean('azure', providers)).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('exlcude', 'exclude')).toBe(1);
  });
});

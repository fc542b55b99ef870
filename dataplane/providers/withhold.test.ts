import { describe, expect, it } from 'vitest';
import { activateBundle } from '../../policy/active-bundle.ts';
import { compileFixture } from '../../test/helpers/policy-fixtures.ts';
import { toolExchange } from './tool-calls.ts';
import { pathCandidates, withholdExcluded } from './withhold.ts';

const ORG = `providers:\n  anthropic: { enabled: true }\n  openai: { enabled: true }\nexclude: [".env", "secrets/"]\n`;
const bundle = activateBundle(compileFixture(ORG, [{ id: 1, path: 'team/app', aiconfig: 'ai_access:\n  enabled: true\n' }], { serial: 1 }));
const request = { project: { id: 1, path: 'team/app' }, provider: 'anthropic' as const };

describe('pathCandidates', () => {
  it('tries every suffix of an absolute or relative path, after resolving dot segments', () => {
    expect(pathCandidates('/home/me/ws/secrets/a.key')).toEqual(['home/me/ws/secrets/a.key', 'me/ws/secrets/a.key', 'ws/secrets/a.key', 'secrets/a.key', 'a.key']);
    expect(pathCandidates('C:\\ws\\src\\..\\secrets\\x')).toEqual(['ws/secrets/x', 'secrets/x', 'x']);
    expect(pathCandidates('~/work/.env')).toEqual(['work/.env', '.env']);
  });
});

describe('withholdExcluded', () => {
  it('replaces an Anthropic tool_result whose tool_use read an excluded file, and nothing else', () => {
    const body = {
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/home/me/ws/app/.env' } }, { type: 'tool_use', id: 't2', name: 'Read', input: { file_path: '/home/me/ws/app/README.md' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'TOKEN=abc' }, { type: 'tool_result', tool_use_id: 't2', content: 'hello' }] },
      ],
    };
    const withheld = withholdExcluded(toolExchange('anthropic-messages', body), bundle, request);
    expect(withheld.map((w) => w.path)).toEqual(['home/me/ws/app/.env']);
    const results = body.messages[1]!.content as { content: string }[];
    expect(results[0]!.content).toMatch(/^\[aigate: the contents of home\/me\/ws\/app\/\.env were withheld/);
    expect(results[0]!.content).not.toContain('abc');
    expect(results[1]!.content).toBe('hello');
  });

  it('catches chat tool_calls with filePath and Responses shell commands', () => {
    const chat = {
      messages: [
        { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{"filePath":"/ws/app/secrets/db.yml"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'password: x' },
      ],
    };
    expect(withholdExcluded(toolExchange('openai-chat', chat), bundle, request).map((w) => w.path)).toEqual(['ws/app/secrets/db.yml']);
    expect(chat.messages[1]!.content).toMatch(/withheld/);

    const responses = {
      input: [
        { type: 'function_call', call_id: 'k1', name: 'exec_command', arguments: JSON.stringify({ cmd: "cd /ws/app && sed -n '1,40p' secrets/prod.key" }) },
        { type: 'function_call_output', call_id: 'k1', output: 'Output:\n-----BEGIN' },
      ],
    };
    expect(withholdExcluded(toolExchange('openai-responses', responses), bundle, request).map((w) => w.path)).toEqual(['ws/app/secrets/prod.key']);
    expect(responses.input[1]!['output']).toMatch(/withheld/);
  });

  it('withholds under case and spelling variants of an excluded path', () => {
    for (const spelled of ['/ws/app/SECRETS/x.pem', 'app/./secrets//x.pem', '/ws/app/src/../secrets/x.pem', 'C:\\ws\\app\\Secrets\\x.pem']) {
      const body = { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', input: { path: spelled } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'KEY' }] }] };
      expect(withholdExcluded(toolExchange('anthropic-messages', body), bundle, request), spelled).toHaveLength(1);
    }
  });
});

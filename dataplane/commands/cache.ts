import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';
import { closeRedis, openRedis, waitForRedis } from '../shared-cache/open-redis.ts';
import { DEFAULT_CACHE_PREFIX, flushPrefix } from '../shared-cache/redis-shared-cache.ts';

/** Read when --redis is not given, so a URL with a password need not be on the command line. */
export const REDIS_URL_ENV = 'AIGATE_REDIS_URL';

const HELP = `usage: aigate cache flush [--redis URL] [--prefix PREFIX]

Clears the caches the proxy replicas share in Redis (token → user, user + project → access), for
example after permissions changed in GitLab and should apply before the cache entries expire
("the AI assistant gets stale code"). Only keys under PREFIX are deleted (default
"${DEFAULT_CACHE_PREFIX}", the proxy's cache.redis_prefix); shared rate limits and anything else in
the same Redis are kept. Replicas with in-memory caches are flushed through their admin endpoint
(POST /admin/cache/flush) instead.

  --redis URL       redis://[user:password@]host:6379[/db] or rediss:// (default $${REDIS_URL_ENV})
  --prefix PREFIX   key prefix to clear, e.g. "${DEFAULT_CACHE_PREFIX}token:" for the token cache only
exit codes: 0 flushed, 1 Redis could not be reached, 2 usage error
`;

export const cacheCommand: Command = async function cache(args, io) {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name !== 'flush') throw new UsageError(`aigate cache: unknown subcommand "${name}"`, 'run "aigate cache --help"');
  const { values, positionals } = parseCommandArgs('cache flush', rest, {
    redis: { type: 'string' },
    prefix: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`aigate cache flush: unexpected argument "${positionals[0]}"`);
  const url = values.redis ?? (io.env[REDIS_URL_ENV] || undefined);
  if (url === undefined) throw new UsageError(`aigate cache flush: give --redis URL or set ${REDIS_URL_ENV}`);
  if (!/^rediss?:\/\//.test(url)) throw new UsageError('aigate cache flush: the Redis URL must start with redis:// or rediss://');
  const prefix = values.prefix ?? DEFAULT_CACHE_PREFIX;
  // An empty prefix would delete everything, the shared rate limits included: FLUSHDB is not a cache flush.
  if (prefix === '') throw new UsageError('aigate cache flush: --prefix must not be empty');

  const { redis, lastError } = openRedis({ url, commandTimeoutMs: 10_000, connectTimeoutMs: 5000, name: 'aigate-cache-flush', reconnect: false });
  try {
    if (!(await waitForRedis(redis, 5000))) throw new ExitError(EXIT.failed, `aigate cache flush: cannot reach Redis${lastError() ? `: ${lastError()}` : ''}`);
    const removed = await flushPrefix(redis, prefix).catch((error: unknown) => {
      throw new ExitError(EXIT.failed, `aigate cache flush: ${error instanceof Error ? error.message : String(error)}`);
    });
    io.stdout(`flushed ${removed} key(s) under "${prefix}"\n`);
    return EXIT.ok;
  } finally {
    await closeRedis(redis);
  }
};

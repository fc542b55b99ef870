import type { CommandEntry } from './command.ts';

/**
 * Every `aigate` command, loaded lazily so `aigate validate` does not pay for the proxy's imports.
 * Commands live with the half they belong to; this table only points at them.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  validate: {
    summary: 'check .aiconfig and org policy files: YAML, schema and semantic rules',
    load: async () => (await import('../compiler/commands/validate.ts')).validateCommand,
  },
  keygen: {
    summary: 'create an Ed25519 key pair for signing bundles',
    load: async () => (await import('../compiler/commands/keygen.ts')).keygenCommand,
  },
  compile: {
    summary: 'compile the org policy and projects\' .aiconfig files into a signed bundle',
    load: async () => (await import('../compiler/commands/compile.ts')).compileCommand,
  },
  verify: {
    summary: 'check a bundle\'s signature, schema, expiry and serial as a proxy would',
    load: async () => (await import('../compiler/commands/verify.ts')).verifyCommand,
  },
  compiler: {
    summary: 'run the compiler service (compiler serve) or post a CI report note (compiler mr-note)',
    load: async () => (await import('../compiler/service/compiler-command.ts')).compilerCommand,
  },
  'dry-run': {
    summary: 'preview what the proxy will do: check a request, scan a checkout, diff an .aiconfig change',
    load: async () => (await import('../compiler/dry-run/dry-run-command.ts')).dryRunCommand,
  },
  serve: {
    summary: 'run the proxy (signed bundles from a file or URL, or a local org policy)',
    load: async () => {
      // The CLI wires the compiler into single-machine mode; dataplane/ itself never imports compiler/.
      const [{ createServeCommand }, { compileLocalBundle }] = await Promise.all([import('../dataplane/commands/serve.ts'), import('../compiler/local/compile-local.ts')]);
      return createServeCommand(compileLocalBundle);
    },
  },
  audit: {
    summary: 'verify, follow or query the audit journal (audit verify|tail DIR, audit query)',
    load: async () => (await import('../dataplane/commands/audit.ts')).auditCommand,
  },
  login: {
    summary: 'sign in to GitLab with OAuth (device grant, or browser + PKCE) for assistants',
    load: async () => (await import('../client/commands/login.ts')).loginCommand,
  },
  token: {
    summary: 'print a valid GitLab token from aigate login (refreshing it) for assistant key helpers',
    load: async () => (await import('../client/commands/token.ts')).tokenCommand,
  },
  db: {
    summary: 'audit database: apply migrations, show status, drop partitions past retention',
    load: async () => (await import('../dataplane/commands/db.ts')).dbCommand,
  },
  cache: {
    summary: 'flush the GitLab answer caches the replicas share in Redis',
    load: async () => (await import('../dataplane/commands/cache.ts')).cacheCommand,
  },
  inspect: {
    summary: 'show the effective policy of one project in a bundle',
    load: async () => (await import('../compiler/commands/inspect.ts')).inspectCommand,
  },
};

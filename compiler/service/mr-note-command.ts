import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../../cli/io.ts';
import { EXIT, type ExitCode } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';
import { createGitLabClient } from '../gitlab/gitlab-client.ts';
import { GitLabError } from '../gitlab/gitlab-error.ts';
import { upsertMergeRequestNote } from './mr-note.ts';

export const MR_NOTE_HELP = `usage: aigate compiler mr-note --file REPORT.md [--token-env NAME]

Posts a Markdown report (aigate dry-run diff --format markdown) as the merge request's aigate note,
editing the note posted before instead of adding another. Meant for merge request pipelines: the
project, the merge request and the API URL come from $CI_PROJECT_ID, $CI_MERGE_REQUEST_IID and
$CI_API_V4_URL.

  --file FILE        the Markdown report
  --token-env NAME   variable holding a token with api scope (default AIGATE_NOTE_TOKEN); the job
                     token cannot post notes
`;

/** `aigate compiler mr-note`: the CI template's way to keep one report note per merge request. */
export async function mrNoteCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs('compiler mr-note', args, { file: { type: 'string' }, 'token-env': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(MR_NOTE_HELP);
    return EXIT.ok;
  }
  if (!values.file) throw new UsageError('aigate compiler mr-note: --file REPORT.md is required');
  const api = io.env['CI_API_V4_URL'];
  const project = io.env['CI_PROJECT_ID'];
  const iid = Number(io.env['CI_MERGE_REQUEST_IID']);
  if (!api || !project || !Number.isSafeInteger(iid) || iid < 1) throw new UsageError('aigate compiler mr-note: run it in a merge request pipeline ($CI_API_V4_URL, $CI_PROJECT_ID and $CI_MERGE_REQUEST_IID are needed)');
  const tokenEnv = values['token-env'] ?? 'AIGATE_NOTE_TOKEN';
  const token = io.env[tokenEnv];
  if (!token) throw new UsageError(`aigate compiler mr-note: $${tokenEnv} is empty`, 'a masked CI/CD variable with an api-scope token (project access token, Reporter)');
  const file = values.file;
  const markdown = await readFile(resolve(io.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`aigate compiler mr-note: cannot read "${file}"`);
  });
  const client = createGitLabClient({ url: api.replace(/\/api\/v4\/?$/, ''), token });
  try {
    const note = await upsertMergeRequestNote(client, project, iid, markdown);
    io.stdout(`${note.created ? 'posted' : 'updated'} note ${note.id} on !${iid}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof GitLabError) throw new ExitError(EXIT.failed, `aigate compiler mr-note: ${error.code}: ${error.message}`);
    throw error;
  } finally {
    await client.close();
  }
}

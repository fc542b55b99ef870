import { encodeId, type GitLabClient } from '../gitlab/gitlab-client.ts';

/** First line of every report note: how the compiler finds its own note again to update it. */
export const NOTE_MARKER = '<!-- aigate:policy-diff -->';

interface NoteJson {
  id: number;
  body: string;
  author: { username: string };
}

/** Who each client's token belongs to, asked once. */
const identities = new WeakMap<GitLabClient, Promise<string>>();

/**
 * Creates the report note, or edits the one posted before (found by the marker and by being ours:
 * a user pasting the marker into a comment must not make us overwrite, or fail on, their note).
 * One note per merge request, however often it is updated.
 */
export async function upsertMergeRequestNote(client: GitLabClient, project: number | string, iid: number, markdown: string): Promise<{ id: number; created: boolean }> {
  let whoami = identities.get(client);
  if (!whoami) {
    whoami = client.request<{ username: string }>('GET', 'user').then((r) => r.body.username);
    identities.set(client, whoami);
    whoami.catch(() => identities.delete(client));
  }
  const me = (await whoami).toLowerCase();
  const body = `${NOTE_MARKER}\n${markdown}`;
  const base = `projects/${encodeId(project)}/merge_requests/${iid}/notes`;
  for await (const page of client.pages<NoteJson>(base, { sort: 'asc', order_by: 'created_at', per_page: 100 })) {
    const mine = page.find((n) => n.body.startsWith(NOTE_MARKER) && n.author.username.toLowerCase() === me);
    if (mine) {
      if (mine.body !== body) await client.request('PUT', `${base}/${mine.id}`, { json: { body } });
      return { id: mine.id, created: false };
    }
  }
  const created = await client.request<{ id: number }>('POST', base, { json: { body } });
  return { id: created.body.id, created: true };
}

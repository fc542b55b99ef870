import { createHash } from 'node:crypto';
import type { TokenRecord, UserRecord } from './model.ts';
import { EPOCH_SECONDS, isoAt } from './model.ts';
import { USER_NAMESPACE_ID_OFFSET } from './store.ts';

export function avatarUrl(email: string): string {
  return `https://www.gravatar.com/avatar/${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}?s=80&d=identicon`;
}

/** `GET /user`: GitLab's UserPublic, plus UserWithAdmin's fields (`is_admin`, ...) only for admins. */
export function userPublic(user: UserRecord, baseUrl: string): Record<string, unknown> {
  const created = isoAt(EPOCH_SECONDS + user.id * 3600);
  const view: Record<string, unknown> = {
    id: user.id,
    username: user.username,
    public_email: null,
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: avatarUrl(user.email),
    web_url: `${baseUrl}/${user.username}`,
    created_at: created,
    bio: '',
    location: '',
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: user.bot,
    work_information: null,
    followers: 0,
    following: 0,
    local_time: null,
    last_sign_in_at: created,
    confirmed_at: created,
    last_activity_on: created.slice(0, 10),
    email: user.email,
    theme_id: 3,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: created,
    identities: [],
    can_create_group: !user.external,
    can_create_project: !user.external,
    two_factor_enabled: false,
    external: user.external,
    private_profile: false,
    commit_email: user.email,
  };
  // Absent (not false) for everyone else: gitlab-api.md §1.
  if (user.admin) Object.assign(view, { is_admin: true, note: null, namespace_id: USER_NAMESPACE_ID_OFFSET + user.id, created_by: null, is_auditor: false, using_license_seat: false });
  return view;
}

/** The compact author/user shape embedded in other entities. */
export function userBasic(user: UserRecord, baseUrl: string): Record<string, unknown> {
  return { id: user.id, username: user.username, name: user.name, state: user.state, locked: false, avatar_url: avatarUrl(user.email), web_url: `${baseUrl}/${user.username}` };
}

/** `GET /personal_access_tokens/self`. */
export function tokenSelf(token: TokenRecord, user: UserRecord): Record<string, unknown> {
  const created = isoAt(EPOCH_SECONDS + token.id * 60);
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: created,
    description: null,
    scopes: token.scopes,
    user_id: user.id,
    last_used_at: new Date().toISOString(),
    active: true,
    expires_at: token.expiresAt,
  };
}

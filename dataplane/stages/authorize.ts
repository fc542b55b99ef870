import { DataplaneError } from '../codes.ts';
import { REPORTER } from '../gitlab/gitlab-types.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';

const ROLE: Readonly<Record<number, string>> = { 5: 'Minimal Access', 10: 'Guest', 15: 'Planner' };

/**
 * authorize: the user must be able to read the repository's code in GitLab. Seeing a project is not
 * enough: a Guest on a private project can see it but not its files, and aigate must not become the
 * way around that. Public and internal projects are readable by any user GitLab showed them to.
 */
export const authorize: Stage = function authorize(ctx) {
  const project = ctx.project;
  if (!project || ctx.user?.admin) return undefined;
  if (project.visibility === 'private' && project.accessLevel < REPORTER) {
    const role = ROLE[project.accessLevel] ?? 'no';
    return new DataplaneError('repo_read_forbidden', `aigate: your ${role} role on ${project.path} cannot read its code (Reporter or higher is needed)`);
  }
  return undefined;
};

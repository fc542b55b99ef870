import { jsonReply, type Reply } from './reply.ts';

export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

/** Where pagination links point: the request's own URL with some parameters replaced. */
export interface LinkBase {
  readonly baseUrl: string;
  readonly rawPath: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface Page<T> {
  readonly items: T[];
  readonly headers: Record<string, string>;
}

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;
/** Above this many rows GitLab stops counting (no X-Total, X-Total-Pages, rel="last"). */
const COUNT_LIMIT = 10_000;

/** `page`/`per_page` as Grape validates them: non-integers are 400, per_page is clamped to 100. */
export function pageParams(query: Readonly<Record<string, string>>): PageRequest | Reply {
  for (const name of ['page', 'per_page'] as const) {
    const v = query[name];
    if (v !== undefined && !/^-?\d+$/.test(v)) return jsonReply(400, { error: `${name} is invalid` });
  }
  const page = Math.max(1, Number(query.page ?? 1));
  const per = Number(query.per_page ?? DEFAULT_PER_PAGE);
  return { page, perPage: per < 1 ? DEFAULT_PER_PAGE : Math.min(per, MAX_PER_PAGE) };
}

export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}

export function linkTo(base: LinkBase, override: Readonly<Record<string, string>>): string {
  return `${base.baseUrl}${base.rawPath}?${new URLSearchParams({ ...base.query, ...override }).toString()}`;
}

/** Offset pagination with GitLab's `Link` and `X-*` headers. */
export function offsetPage<T>(all: readonly T[], req: PageRequest, base: LinkBase): Page<T> {
  const total = all.length;
  const pages = Math.max(1, Math.ceil(total / req.perPage));
  const counted = total <= COUNT_LIMIT;
  const items = all.slice((req.page - 1) * req.perPage, req.page * req.perPage);
  const hasNext = req.page * req.perPage < total;
  const at = (page: number): string => linkTo(base, { page: String(page), per_page: String(req.perPage) });
  const links: string[] = [];
  if (req.page > 1) links.push(`<${at(req.page - 1)}>; rel="prev"`);
  if (hasNext) links.push(`<${at(req.page + 1)}>; rel="next"`);
  links.push(`<${at(1)}>; rel="first"`);
  if (counted) links.push(`<${at(pages)}>; rel="last"`);
  const headers: Record<string, string> = {
    Link: links.join(', '),
    'X-Next-Page': hasNext ? String(req.page + 1) : '',
    'X-Page': String(req.page),
    'X-Per-Page': String(req.perPage),
    'X-Prev-Page': req.page > 1 ? String(req.page - 1) : '',
  };
  if (counted) Object.assign(headers, { 'X-Total': String(total), 'X-Total-Pages': String(pages) });
  return { items, headers };
}

/**
 * Keyset pagination by id: only a `Link: <…id_after=N>; rel="next"` header (`id_before` when
 * sorting descending), and none on the last page. `sorted` must already be filtered and ordered.
 */
export function keysetPage<T extends { readonly id: number }>(sorted: readonly T[], perPage: number, descending: boolean, base: LinkBase): Page<T> {
  const items = sorted.slice(0, perPage);
  const last = items[items.length - 1];
  if (sorted.length <= perPage || !last) return { items, headers: {} };
  const { id_after: _after, id_before: _before, ...rest } = base.query;
  const next = linkTo({ ...base, query: rest }, { per_page: String(perPage), [descending ? 'id_before' : 'id_after']: String(last.id) });
  return { items, headers: { Link: `<${next}>; rel="next"` } };
}

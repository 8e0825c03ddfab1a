/** Paginated LIST (`limit` + `continue`), restarting when the continue token expires. */
import { fail, ok, parseJson, type Result } from './errors.js';
import { collectionPath, describe, type ApiResource, type KubeObject } from './paths.js';
import type { Query, Request, Response } from './transport.js';

/** What list and the caches need from a connection. */
export interface Requester {
  request(req: Omit<Request, 'timeoutMs'> & { timeoutMs?: number }): Promise<Result<Response>>;
}

export interface ListOptions {
  /** One namespace; all namespaces when undefined. Ignored for cluster-scoped resources. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per page (`limit`); 500 by default, as kubectl and client-go's pager use. */
  pageSize?: number;
}

export interface Listed<T> {
  items: T[];
  /** The list's resourceVersion: where a watch continues from. */
  resourceVersion: string;
}

/** A full restart on an expired continue token is tried this many times before giving up. */
const maxRestarts = 3;

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: unknown[];
}

/**
 * Lists every page. `each` converts an item as its page arrives (a cache strips fields there, so a page's
 * full JSON is garbage once the next page is fetched).
 */
export async function listAll<T = KubeObject>(
  conn: Requester,
  r: ApiResource,
  opts: ListOptions = {},
  each: (item: KubeObject) => T = (x) => x as T,
): Promise<Result<Listed<T>>> {
  const what = describe('list', r, opts.namespace);
  for (let attempt = 0; ; attempt++) {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    let expired = false;
    do {
      const query: Query = {
        limit: opts.pageSize ?? 500,
        continue: token,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      };
      const res = await conn.request({ method: 'GET', path: collectionPath(r, opts.namespace), query, what });
      if (!res.ok) {
        if (res.error.status === 410 && token !== undefined) {
          expired = true;
          break;
        }
        return res;
      }
      const parsed = parseJson<ListBody>(res.value.text, what);
      if (!parsed.ok) return parsed;
      const body = parsed.value;
      for (const item of body.items ?? []) items.push(each(item as KubeObject));
      resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
      token = body.metadata?.continue || undefined;
    } while (token);
    if (!expired) return ok({ items, resourceVersion });
    if (attempt + 1 >= maxRestarts) return fail('conflict', `${what}: the list kept changing faster than it could be paged (continue token expired ${maxRestarts} times)`, { status: 410 });
  }
}

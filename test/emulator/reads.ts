// GET, LIST (selectors, limit/continue) and the start of WATCH.
import type { ServerResponse } from 'node:http';
import { badRequest, expired } from './errors.js';
import { getOr404, isBuiltin, served, servedApiVersion, table, type ApiRequest, type ApiResponse, type Ctx } from './context.js';
import { compileFilter, isEmptyFilter, matchesFilter } from './selectors.js';
import type { KObject } from './types.js';

export function getObject(ctx: Ctx, r: ApiRequest): ApiResponse {
  return { status: 200, body: served(r.spec, getOr404(ctx, r)) };
}

interface ContinueToken {
  rv: number;
  start: string;
}

const encodeToken = (t: ContinueToken): string => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');

function decodeToken(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (t.v === 'meta.k8s.io/v1' && typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through to the error below
  }
  throw badRequest(`continue key is not valid: "${s}"`);
}

const keyOf = (o: KObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function listObjects(ctx: Ctx, r: ApiRequest): ApiResponse {
  const q = r.query;
  const filter = compileFilter(q.get('labelSelector'), q.get('fieldSelector'));
  const limitText = q.get('limit');
  const limit = limitText ? Number(limitText) : 0;
  if (limitText && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit: ${limitText}`);
  const cont = q.get('continue');
  let rv = ctx.store.currentRv();
  let after = '';
  if (cont) {
    if (q.get('resourceVersion')) throw badRequest('specifying resource version is not allowed when using continue');
    const t = decodeToken(cont);
    if (t.rv < ctx.store.oldestValidRv()) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    rv = t.rv;
    after = t.start;
  } else {
    const want = q.get('resourceVersion');
    const match = q.get('resourceVersionMatch');
    if (match && !want) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    // Exact reads (explicit, or the legacy "limit with a non-zero resourceVersion") of a compacted
    // version are gone; other reads serve the current state.
    const exact = match === 'Exact' || (!match && limit > 0 && want !== null && want !== '0');
    if (want && exact && Number(want) < ctx.store.oldestValidRv()) throw expired('The resourceVersion for the provided list is too old.');
  }
  const view = ctx.store.view(table(r.spec), r.namespace, after || undefined);
  const matching: KObject[] = [];
  let remaining = 0;
  let next = '';
  for (let i = 0; i < view.size; i++) {
    const o = view.at(i);
    if (!matchesFilter(filter, o)) continue;
    if (limit > 0 && matching.length >= limit) {
      next = keyOf(matching[matching.length - 1]!);
      // Without a selector every remaining object counts; with one, knowing there is more is enough.
      remaining = view.size - i;
      break;
    }
    matching.push(o);
  }
  // Items of built-in lists carry no apiVersion/kind, as kube-apiserver's typed lists; custom resources do.
  const items = matching.map((o) => {
    if (!isBuiltin(r.spec)) return served(r.spec, o);
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  });
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (next) {
    metadata['continue'] = encodeToken({ rv, start: next });
    if (isEmptyFilter(filter)) metadata['remainingItemCount'] = remaining;
  }
  return { status: 200, body: { kind: `${r.spec.kind}List`, apiVersion: servedApiVersion(r.spec), metadata, items } };
}

export function startWatch(ctx: Ctx, r: ApiRequest, res: ServerResponse): void {
  const q = r.query;
  const filter = compileFilter(q.get('labelSelector'), q.get('fieldSelector'));
  if (r.name !== undefined) filter.fields.push({ field: 'metadata.name', op: '=', value: r.name });
  const t = q.get('timeoutSeconds');
  const sendInitialEvents = q.get('sendInitialEvents') === 'true';
  if (sendInitialEvents && q.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw badRequest('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
  }
  ctx.watches.start(res, {
    table: table(r.spec),
    apiVersion: servedApiVersion(r.spec),
    kind: r.spec.kind,
    namespace: r.namespace,
    filter,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    allowBookmarks: q.get('allowWatchBookmarks') === 'true',
    sendInitialEvents,
    timeoutSeconds: t ? Number(t) : undefined,
  });
}

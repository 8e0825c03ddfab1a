// The HTTP(S) front: request log, injected faults and latency, authentication, discovery, routing to
// the handlers, authorization, and Status bodies for every error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, authorize, type UserInfo } from './auth.js';
import type { ApiRequest, ApiResponse, Ctx } from './context.js';
import { discovery, isDiscoveryPath, type VersionInfo } from './discovery.js';
import { ApiError, methodNotAllowed, reasonFor, resourceNotFound } from './errors.js';
import { patchObject } from './patching.js';
import { getObject, listObjects, startWatch } from './reads.js';
import { parseRoute, type Route } from './routes.js';
import type { EmulatorUser, KubeletAnswer, RecordedRequest } from './types.js';
import { createObject, deleteCollection, deleteObject, updateObject } from './writes.js';

const MAX_BODY = 3 * 1024 * 1024;

export interface PendingFault {
  method?: string;
  path?: RegExp;
  notPath?: RegExp;
  /** Only writes (POST, PUT, PATCH, DELETE). */
  writes?: boolean;
  /** Only requests with (true) or without (false) `dryRun`. */
  dryRun?: boolean;
  /** Matching requests let through before the fault strikes. */
  skip: number;
  status: number;
  times: number;
}

export interface FrontState {
  ctx: Ctx;
  kubelets: Map<string, (path: string) => KubeletAnswer>;
  tokens: Record<EmulatorUser, string>;
  version: VersionInfo;
  requests: RecordedRequest[];
  faults: PendingFault[];
  latencyMs: number;
  serverAddress: () => string;
}

function send(res: ServerResponse, r: ApiResponse): void {
  const body = JSON.stringify(r.body);
  res.writeHead(r.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.stack ?? String(e)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err.code === 429 || err.code === 503) res.setHeader('Retry-After', '1');
  send(res, { status: err.code, body: err.toStatus() });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function takeFault(state: FrontState, method: string, path: string, dryRun: boolean): PendingFault | undefined {
  const i = state.faults.findIndex(
    (f) =>
      (!f.method || f.method.toUpperCase() === method) &&
      (!f.path || f.path.test(path)) &&
      (!f.notPath || !f.notPath.test(path)) &&
      (!f.writes || writeMethods.has(method)) &&
      (f.dryRun === undefined || f.dryRun === dryRun),
  );
  if (i < 0) return undefined;
  const f = state.faults[i]!;
  if (f.skip > 0) {
    f.skip--;
    return undefined;
  }
  if (--f.times <= 0) state.faults.splice(i, 1);
  return f;
}

function verbOf(method: string, route: Route, watch: boolean): string {
  const item = route.name !== undefined;
  switch (method) {
    case 'GET':
      return watch ? 'watch' : item ? 'get' : 'list';
    case 'POST':
      return item ? '' : 'create';
    case 'PUT':
      return item ? 'update' : '';
    case 'PATCH':
      return item ? 'patch' : '';
    case 'DELETE':
      return item ? 'delete' : 'deletecollection';
    default:
      return '';
  }
}

export async function handle(state: FrontState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  let user: UserInfo | undefined;
  let authError: unknown;
  try {
    user = authenticate(req.headers.authorization, state.tokens);
  } catch (e) {
    authError = e;
  }
  state.requests.push({ method, path: url.pathname, query: url.search.replace(/^\?/, ''), user: user?.username ?? '' });
  try {
    const body = await readBody(req);
    if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
    const fault = takeFault(state, method, url.pathname, url.searchParams.has('dryRun'));
    if (fault) {
      const reason = reasonFor(fault.status);
      throw new ApiError(fault.status, reason, `injected fault: ${reason || 'HTTP ' + fault.status}`);
    }
    if (!user) throw authError;
    if (isDiscoveryPath(url.pathname)) {
      if (method !== 'GET') throw methodNotAllowed(method);
      if (/^\/(healthz|livez|readyz)\/?$/.test(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      }
      const doc = url.pathname.startsWith('/openapi/') ? undefined : discovery(url.pathname, state.ctx.registry, state.version, state.serverAddress());
      if (!doc) throw resourceNotFound();
      send(res, { status: 200, body: doc });
      return;
    }
    const proxied = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/.*)?$/.exec(url.pathname);
    if (proxied) return send(res, nodeProxy(state, user, method, decodeURIComponent(proxied[1]!), proxied[2] ?? '/'));
    const route = parseRoute(url.pathname, state.ctx.registry);
    if (!route) throw resourceNotFound();
    const q = url.searchParams;
    const watch = route.watchPrefix || q.get('watch') === 'true' || q.get('watch') === '1';
    if (route.spec.namespaced && route.namespace === undefined && (route.name !== undefined || method === 'POST')) throw resourceNotFound();
    const verb = verbOf(method, route, watch);
    if (!verb || (route.subresource && !['get', 'update', 'patch'].includes(verb))) throw methodNotAllowed(method);
    const attrs = { verb, group: route.spec.group, resource: route.spec.plural, ...(route.subresource ? { subresource: route.subresource } : {}), ...(route.namespace ? { namespace: route.namespace } : {}), ...(route.name ? { name: route.name } : {}) };
    authorize(user, attrs);
    const r: ApiRequest = {
      method,
      spec: route.spec,
      query: q,
      body,
      contentType: String(req.headers['content-type'] ?? 'application/json'),
      user,
      userAgent: String(req.headers['user-agent'] ?? ''),
      ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
      ...(route.name !== undefined ? { name: route.name } : {}),
      ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
    };
    const ctx = state.ctx;
    switch (verb) {
      case 'watch':
        startWatch(ctx, r, res);
        return;
      case 'get':
        return send(res, getObject(ctx, r));
      case 'list':
        return send(res, listObjects(ctx, r));
      case 'create':
        return send(res, await createObject(ctx, r));
      case 'update':
        return send(res, await updateObject(ctx, r));
      case 'patch':
        return send(res, await patchObject(ctx, r));
      case 'delete':
        return send(res, await deleteObject(ctx, r));
      case 'deletecollection':
        return send(res, await deleteCollection(ctx, r));
    }
  } catch (e) {
    sendError(res, e);
  }
}

/**
 * `/api/v1/nodes/<node>/proxy/<path>`: the API server passes the request to the node's kubelet (port 10250).
 * Authorized as the `proxy` subresource of nodes (kube's `get nodes/proxy`); an unknown node is 404, a node whose
 * kubelet does not answer 503 with kube's "error trying to reach service" wording.
 */
function nodeProxy(state: FrontState, user: UserInfo, method: string, node: string, path: string): ApiResponse {
  if (method !== 'GET') throw methodNotAllowed(method);
  authorize(user, { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy', name: node });
  if (!state.ctx.store.get('/nodes', undefined, node)) throw new ApiError(404, 'NotFound', `nodes "${node}" not found`, { name: node, kind: 'nodes' });
  const kubelet = state.kubelets.get(node);
  if (!kubelet) throw new ApiError(503, 'ServiceUnavailable', `error trying to reach service: dial tcp 10.0.0.1:10250: connect: connection refused`);
  const a: KubeletAnswer = kubelet(path);
  return { status: a.status, body: a.body };
}

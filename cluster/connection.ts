/**
 * A connection to one kubeconfig context: the chosen context and namespace, and typed helpers over the API
 * (get, paginated list, server-side apply, delete), each with a deadline and typed failures.
 */
import { applyObjects, removeObjects, type ApplyOptions, type Removed, type RemoveOptions } from './apply.js';
import { resourceFor } from './discovery.js';
import { fail, ok, parseJson, type Result } from './errors.js';
import { contextsOf, loadKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { listAll, type Listed, type ListOptions, type Requester } from './list.js';
import { describe, objectPath, type ApiResource, type KubeObject } from './paths.js';
import { closeTarget, openStream, send, type Request, type Response, type StreamHandlers, type StreamRequest, type Target } from './transport.js';

export interface ConnectOptions extends KubeconfigOptions {
  /** A kubeconfig context; kubeconfig's current-context by default. */
  context?: string;
  /** The namespace; the context's, else "default". */
  namespace?: string;
  /** Deadline of each request, 10 s by default (watches: for their response headers). */
  timeoutMs?: number;
  /**
   * Whether connect asks the server for /version before answering (true by default), so that an unreachable
   * server or rejected credentials are reported by connect rather than by the first cache.
   */
  verify?: boolean;
}

export interface ServerVersion {
  gitVersion: string;
  major?: string;
  minor?: string;
}

export interface ClusterConnection extends Requester {
  readonly context: string;
  readonly namespace: string;
  readonly server: string;
  readonly user?: string;
  /** The kubeconfig files read (or `in-cluster`). */
  readonly sources: readonly string[];
  readonly timeoutMs: number;
  /** The server's /version (cached after the first success). */
  version(): Promise<Result<ServerVersion>>;
  /** A line-delimited stream (a watch); see transport.openStream. */
  stream(req: Omit<StreamRequest, 'connectTimeoutMs'> & { connectTimeoutMs?: number }, handlers: StreamHandlers): { abort(): void };
  /** The served resource for an apiVersion and kind (plural, scope), from the group version's discovery. */
  resource(apiVersion: string, kind: string): Promise<Result<ApiResource>>;
  /** One object; `not-found` when it does not exist. `namespace` is ignored for cluster-scoped kinds. */
  get<T = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Result<T>>;
  /** Every object, all pages; all namespaces when `namespace` is undefined. */
  list<T = KubeObject>(apiVersion: string, kind: string, namespace?: string, opts?: Omit<ListOptions, 'namespace'>): Promise<Result<Listed<T>>>;
  /** Server-side apply of each object in order; see apply.ts. */
  apply(objects: readonly KubeObject[], opts: ApplyOptions): Promise<Result<KubeObject[]>>;
  /** Deletes each object (in reverse order); absent objects are reported, not errors. */
  remove(objects: readonly KubeObject[], opts?: RemoveOptions): Promise<Result<Removed[]>>;
  /** Closes the pooled keep-alive sockets (dispose the caches first: their streams are cut). */
  dispose(): void;
}

const defaultTimeoutMs = 10_000;

class Connection implements ClusterConnection {
  private versionCache: ServerVersion | undefined;
  readonly server: string;
  readonly user?: string;

  constructor(
    private readonly target: Target,
    readonly context: string,
    readonly namespace: string,
    readonly sources: readonly string[],
    readonly timeoutMs: number,
  ) {
    this.server = target.server;
    this.user = target.user;
  }

  request(req: Omit<Request, 'timeoutMs'> & { timeoutMs?: number }): Promise<Result<Response>> {
    return send(this.target, { ...req, timeoutMs: req.timeoutMs ?? this.timeoutMs });
  }

  stream(req: Omit<StreamRequest, 'connectTimeoutMs'> & { connectTimeoutMs?: number }, handlers: StreamHandlers): { abort(): void } {
    return openStream(this.target, { ...req, connectTimeoutMs: req.connectTimeoutMs ?? this.timeoutMs }, handlers);
  }

  async version(): Promise<Result<ServerVersion>> {
    if (this.versionCache) return ok(this.versionCache);
    const res = await this.request({ method: 'GET', path: '/version', what: `get the server version of context ${JSON.stringify(this.context)}` });
    if (!res.ok) return res;
    const v = parseJson<Partial<ServerVersion>>(res.value.text, `get ${this.server}/version`);
    if (!v.ok) return v;
    this.versionCache = { gitVersion: String(v.value.gitVersion ?? ''), major: v.value.major, minor: v.value.minor };
    return ok(this.versionCache);
  }

  resource(apiVersion: string, kind: string): Promise<Result<ApiResource>> {
    return resourceFor(this, apiVersion, kind);
  }

  async get<T = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Result<T>> {
    const r = await this.resource(apiVersion, kind);
    if (!r.ok) return r;
    const ns = r.value.namespaced ? (namespace ?? this.namespace) : undefined;
    const res = await this.request({ method: 'GET', path: objectPath(r.value, ns, name), what: describe('get', r.value, ns, name) });
    if (!res.ok) return res;
    return parseJson<T>(res.value.text, describe('get', r.value, ns, name));
  }

  async list<T = KubeObject>(apiVersion: string, kind: string, namespace?: string, opts: Omit<ListOptions, 'namespace'> = {}): Promise<Result<Listed<T>>> {
    const r = await this.resource(apiVersion, kind);
    if (!r.ok) return r;
    return listAll<T>(this, r.value, { ...opts, namespace });
  }

  apply(objects: readonly KubeObject[], opts: ApplyOptions): Promise<Result<KubeObject[]>> {
    return applyObjects(this, objects, opts);
  }

  remove(objects: readonly KubeObject[], opts: RemoveOptions = {}): Promise<Result<Removed[]>> {
    return removeObjects(this, objects, opts);
  }

  dispose(): void {
    closeTarget(this.target);
  }
}

/**
 * Loads kubeconfig as kubectl does, picks the context and namespace, and (unless `verify: false`) checks
 * that the server answers with these credentials. Never throws for an environment problem.
 */
export async function connect(opts: ConnectOptions = {}): Promise<Result<ClusterConnection>> {
  const loaded = await loadKubeconfig(opts);
  if (!loaded.ok) return loaded;
  const { kc, sources } = loaded.value;
  const names = contextsOf(kc).map((c) => c.name);
  const from = sources.join(', ');
  const contextName = opts.context || kc.currentContext;
  if (!contextName) {
    return fail('invalid', `kubeconfig (${from}) has no current-context; choose one of: ${names.join(', ') || '(none defined)'}`);
  }
  const ctx = kc.getContextObject(contextName);
  if (!ctx) {
    return fail('not-found', `context ${JSON.stringify(contextName)} is not in kubeconfig (${from}); available: ${names.join(', ') || '(none)'}`);
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster?.server) {
    return fail('invalid', `context ${JSON.stringify(contextName)} refers to cluster ${JSON.stringify(ctx.cluster)}, which kubeconfig (${from}) does not define with a server`);
  }
  // kubectl refuses such a server before sending anything; without this every request threw a TypeError.
  if (!URL.canParse(cluster.server) || !/^https?:$/.test(new URL(cluster.server).protocol)) {
    return fail('invalid', `cluster ${JSON.stringify(ctx.cluster)} of context ${JSON.stringify(contextName)} in kubeconfig (${from}) has server ${JSON.stringify(cluster.server)}, not an https:// or http:// URL`);
  }
  const namespace = opts.namespace || ctx.namespace || 'default';
  const conn = new Connection({ kc, server: cluster.server, user: ctx.user }, contextName, namespace, sources, opts.timeoutMs ?? defaultTimeoutMs);
  if (opts.verify ?? true) {
    const v = await conn.version();
    if (!v.ok) return v;
  }
  return ok(conn);
}

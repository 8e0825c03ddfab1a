/**
 * A watch-backed cache of one resource, the informer pattern without polling: list every page, then watch
 * from the list's resourceVersion (with bookmarks, so a reconnect resumes close to now). A watch the server
 * ends is resumed at once; one that fails is resumed with bounded exponential backoff and jitter; a 410
 * Gone (the resourceVersion is too old) re-lists. Objects are kept slimmed (slim.ts).
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import type { ClusterConnection } from './connection.js';
import { errorFromStatus, statusBody, type ClusterError } from './errors.js';
import { listAll } from './list.js';
import { collectionPath, describe, type ApiResource, type KubeObject } from './paths.js';
import { slim } from './slim.js';

/** 429 Too Many Requests: kube-apiserver answers it while its storage for the resource is (re)initializing. */
const initializing = (e: ClusterError | undefined): boolean => e?.status === 429;

export type CacheState = 'syncing' | 'synced' | 'unavailable' | 'not-served';

/**
 * A change. `RESYNC` carries no object: the whole content (or the state) may have changed, re-read it.
 * It follows every complete list (the first one and each re-list) and every change of `state`.
 */
export interface CacheEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
  object?: T;
}

export interface ResourceCache<T> {
  /**
   * 'syncing' until the first list completes; 'synced' while the content follows the server;
   * 'unavailable' when the list or the watch cannot be (re-)established (`error` says why; the content is
   * kept and retries go on); 'not-served' when the server does not serve the resource (nothing is retried).
   */
  readonly state: CacheState;
  readonly error?: ClusterError;
  readonly resource: ApiResource;
  /** Objects held. */
  readonly size: number;
  /** Resolves once the first attempt has settled: `state` is then 'synced', 'unavailable' or 'not-served'. */
  whenSynced(): Promise<void>;
  /** For cluster-scoped resources pass `undefined` as the namespace. */
  get(namespace: string | undefined, name: string): T | undefined;
  /** All objects, or those of one namespace. */
  list(namespace?: string): T[];
  /** Returns the unsubscribe function. Listeners run synchronously as events arrive. */
  onChange(listener: (e: CacheEvent<T>) => void): () => void;
  dispose(): void;
}

export interface WatchOptions {
  /** One namespace; all namespaces by default. */
  namespace?: string;
  labelSelector?: string;
  /** LIST page size (`limit`), 500 by default. */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** The server ends each watch after a random 5 to 10 minutes (as client-go asks); the cache resumes it. */
  watchTimeoutSeconds?: () => number;
}

type Conn = Pick<ClusterConnection, 'request' | 'stream'>;

interface WatchEvent {
  type?: string;
  object?: KubeObject;
}

/** A stream that ends this soon without an event counts as a failure, so a server that closes at once is not hammered. */
const minHealthyStreamMs = 1000;

class WatchedResource<T extends KubeObject> implements ResourceCache<T> {
  state: CacheState = 'syncing';
  error?: ClusterError;
  size = 0;
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly listeners = new Set<(e: CacheEvent<T>) => void>();
  private readonly backoff: Backoff;
  private resourceVersion = '';
  private stream: { abort(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private settle!: () => void;
  private readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    private readonly conn: Conn,
    readonly resource: ApiResource,
    private readonly opts: WatchOptions,
  ) {
    this.backoff = new Backoff(opts.backoff);
    void this.relist();
  }

  whenSynced(): Promise<void> {
    return this.settled;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.byNamespace.get(this.resource.namespaced ? (namespace ?? '') : '')?.get(name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined && this.resource.namespaced) return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    const out: T[] = [];
    for (const m of this.byNamespace.values()) for (const o of m.values()) out.push(o);
    return out;
  }

  onChange(listener: (e: CacheEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.stream?.abort();
    clearTimeout(this.timer);
    this.listeners.clear();
    this.settle();
  }

  private emit(e: CacheEvent<T>): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // A listener's exception is its bug; surface it without breaking the stream for the others.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  private setState(state: CacheState, error?: ClusterError): void {
    const changed = state !== this.state || error?.message !== this.error?.message;
    this.state = state;
    this.error = error;
    if (changed) this.emit({ type: 'RESYNC' });
  }

  private later(fn: () => void, ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.disposed) fn();
    }, ms);
  }

  private keyOf(o: KubeObject): [string, string] | undefined {
    const name = o.metadata?.name;
    if (!name) return undefined;
    return [this.resource.namespaced ? (o.metadata?.namespace ?? '') : '', name];
  }

  private put(o: T): boolean {
    const k = this.keyOf(o);
    if (!k) return false;
    let m = this.byNamespace.get(k[0]);
    if (!m) this.byNamespace.set(k[0], (m = new Map()));
    const had = m.has(k[1]);
    m.set(k[1], o);
    if (!had) this.size++;
    return had;
  }

  private remove(o: KubeObject): void {
    const k = this.keyOf(o);
    const m = k && this.byNamespace.get(k[0]);
    if (!k || !m || !m.delete(k[1])) return;
    this.size--;
    if (m.size === 0) this.byNamespace.delete(k[0]);
  }

  private async relist(): Promise<void> {
    this.stream?.abort();
    this.stream = undefined;
    const { namespace, labelSelector, pageSize } = this.opts;
    const r = await listAll<T>(this.conn, this.resource, { namespace, labelSelector, pageSize }, (o) => slim(o) as T);
    if (this.disposed) return;
    if (!r.ok) {
      if (r.error.status === 404) {
        this.clear();
        this.setState('not-served', r.error);
      } else if (initializing(r.error) && this.state === 'syncing') {
        // The API server's watch cache is (re)initializing (just after a CRD was installed or a restart): the
        // first list is only late, not failed. Stay syncing and ask again soon, within the caller's deadline.
        this.later(() => void this.relist(), Math.min(this.backoff.next(), 1000));
        return;
      } else {
        this.setState('unavailable', r.error);
        this.later(() => void this.relist(), this.backoff.next());
      }
      this.settle();
      return;
    }
    this.clear();
    for (const o of r.value.items) this.put(o);
    this.resourceVersion = r.value.resourceVersion;
    this.backoff.reset();
    this.state = 'synced';
    this.error = undefined;
    this.emit({ type: 'RESYNC' });
    this.settle();
    this.watch();
  }

  private clear(): void {
    this.byNamespace.clear();
    this.size = 0;
  }

  private watch(): void {
    const started = Date.now();
    let opened = false;
    let events = 0;
    let gone = false;
    let errorEvent: ClusterError | undefined;
    const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const what = describe('watch', this.resource, this.opts.namespace);
    const stream = this.conn.stream(
      {
        path: collectionPath(this.resource, this.opts.namespace),
        query: {
          watch: 1,
          resourceVersion: this.resourceVersion || undefined,
          allowWatchBookmarks: true,
          timeoutSeconds,
          labelSelector: this.opts.labelSelector,
        },
        what,
        idleTimeoutMs: (timeoutSeconds + 60) * 1000,
      },
      {
        onOpen: () => {
          opened = true;
          if (this.state === 'unavailable') this.setState('synced');
        },
        onLine: (line) => {
          const r = this.apply(line, what);
          if (r === 'ok') events++;
          else if (r === 'gone') {
            gone = true;
            stream.abort();
            void this.relist();
          } else errorEvent = r;
        },
        onEnd: (err) => {
          if (this.disposed || gone || this.stream !== stream) return;
          this.stream = undefined;
          const failure = err ?? errorEvent;
          // 410: resume is impossible; 404: the resource went away (its CRD was deleted). Both re-list.
          if (failure?.status === 410 || failure?.status === 404) return void this.relist();
          if (!failure && (events > 0 || Date.now() - started >= minHealthyStreamMs)) {
            // The server ended a healthy watch (its timeout): resume at once.
            this.backoff.reset();
            return this.watch();
          }
          // A watch that could not even open means the resource cannot be followed now; a drop of an open
          // one is transient until the next attempt fails too.
          // A 429 while the server's watch cache (re)initializes: the content is still good, only late.
          if (!opened && failure && !initializing(failure)) this.setState('unavailable', failure);
          this.later(() => this.watch(), initializing(failure) ? Math.min(this.backoff.next(), 1000) : this.backoff.next());
        },
      },
    );
    this.stream = stream;
  }

  /** Applies one watch event: 'gone' when the resourceVersion is too old, an error for other ERROR events. */
  private apply(line: string, what: string): 'ok' | 'gone' | ClusterError {
    let e: WatchEvent;
    try {
      e = JSON.parse(line) as WatchEvent;
    } catch {
      return 'ok';
    }
    const o = e.object;
    if (!o) return 'ok';
    const rv = o.metadata?.resourceVersion;
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const obj = slim(o) as T;
        const existed = this.put(obj);
        if (rv) this.resourceVersion = rv;
        this.emit({ type: existed ? 'MODIFIED' : 'ADDED', object: obj });
        return 'ok';
      }
      case 'DELETED': {
        const obj = slim(o) as T;
        this.remove(obj);
        if (rv) this.resourceVersion = rv;
        this.emit({ type: 'DELETED', object: obj });
        return 'ok';
      }
      case 'BOOKMARK':
        if (rv) this.resourceVersion = rv;
        return 'ok';
      case 'ERROR': {
        const status = statusBody(JSON.stringify(o));
        if (status.code === 410) return 'gone';
        return errorFromStatus(status.code ?? 500, JSON.stringify(o), what);
      }
      default:
        return 'ok';
    }
  }
}

/** Starts a cache of `resource` on `conn`; it lists and watches until disposed. */
export function watchResource<T extends KubeObject = KubeObject>(conn: Conn, resource: ApiResource, opts: WatchOptions = {}): ResourceCache<T> {
  return new WatchedResource<T>(conn, resource, opts);
}

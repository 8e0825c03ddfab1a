/**
 * Waiting for one object to reach a state: a GET, then a watch of that object from the GET's resourceVersion,
 * each version judged by the caller; a watch the server ends (or a 410) is resumed from a fresh GET, a network
 * blip is retried within the deadline. Nothing polls: a cluster without controllers (the API emulator)
 * settles the moment someone writes the state that ends the wait.
 */
import type { ClusterConnection } from './connection.js';
import { fail, ok, statusBody, type Result } from './errors.js';
import { collectionPath, describe, type ApiResource, type KubeObject } from './paths.js';

type Conn = Pick<ClusterConnection, 'get' | 'resource' | 'stream'>;

/** A verdict on one version of the object (undefined: absent). `undefined` keeps waiting. */
export type Judge<T> = (object: T | undefined) => { done: true; message: string; ok: boolean } | { done: false; message: string };

export type WaitOutcome =
  | { state: 'done'; ok: boolean; message: string }
  | { state: 'timeout'; message: string }
  | { state: 'cancelled'; message: string };

export interface WaitObjectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called when the judged message changes. */
  onProgress?: (message: string) => void;
  /** Names the object in timeout and cancel messages, e.g. `deployment "x"`. */
  what: string;
  /** What it should do, for the timeout message: `roll out` → `… did not roll out within 30 s`. */
  goal?: string;
}

type WatchEnd = { kind: 'judged'; outcome: WaitOutcome } | { kind: 'resume' } | { kind: 'error'; message: string };

/** Waits until `judge` says done, the deadline passes, or `signal` aborts. A read that fails for good is an error. */
export async function waitForObject<T extends KubeObject>(conn: Conn, apiVersion: string, kind: string, namespace: string | undefined, name: string, judge: Judge<T>, opts: WaitObjectOptions): Promise<Result<WaitOutcome>> {
  const resource = await conn.resource(apiVersion, kind);
  if (!resource.ok) return resource;
  const deadline = Date.now() + opts.timeoutMs;
  let lastMessage: string | undefined;
  const verdict = (o: T | undefined): ReturnType<Judge<T>> => {
    const v = judge(o);
    if (v.message !== lastMessage) opts.onProgress?.(v.message);
    lastMessage = v.message;
    return v;
  };
  const tail = (): string => (lastMessage ? ` (${lastMessage})` : '');
  const stopped = (): WaitOutcome | undefined => {
    if (opts.signal?.aborted) return { state: 'cancelled', message: `cancelled while waiting for ${opts.what}${tail()}` };
    if (Date.now() >= deadline) return { state: 'timeout', message: `${opts.what} did not ${opts.goal ?? 'get there'} within ${opts.timeoutMs < 1000 ? `${opts.timeoutMs} ms` : `${Math.round(opts.timeoutMs / 1000)} s`}${tail()}` };
    return undefined;
  };
  let transient = 0;
  for (;;) {
    const early = stopped();
    if (early) return ok(early);
    const got = await conn.get<T>(apiVersion, kind, namespace, name);
    if (!got.ok && got.error.kind !== 'not-found') {
      if ((got.error.kind !== 'unreachable' && got.error.kind !== 'timeout') || ++transient > 5) return got;
      await pause(Math.min(1000 * transient, Math.max(0, deadline - Date.now())), opts.signal);
      continue;
    }
    const object = got.ok ? got.value : undefined;
    const now = verdict(object);
    if (now.done) return ok({ state: 'done', ok: now.ok, message: now.message });
    const end = await watchOnce(conn, resource.value, namespace, name, object?.metadata?.resourceVersion, deadline, opts.signal, verdict);
    if (end.kind === 'judged') return ok(end.outcome);
    if (end.kind === 'error') {
      if (++transient > 5) return fail('unreachable', end.message);
      await pause(Math.min(1000 * transient, Math.max(0, deadline - Date.now())), opts.signal);
    }
  }
}

function watchOnce<T extends KubeObject>(
  conn: Conn,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  resourceVersion: string | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
  verdict: (o: T | undefined) => ReturnType<Judge<T>>,
): Promise<WatchEnd> {
  return new Promise((resolve) => {
    let done = false;
    const remaining = Math.max(1, deadline - Date.now());
    const finish = (end: WatchEnd): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stream.abort();
      resolve(end);
    };
    const onAbort = (): void => finish({ kind: 'resume' }); // the caller's loop reports the cancellation
    const timer = setTimeout(() => finish({ kind: 'resume' }), remaining);
    const ns = resource.namespaced ? namespace : undefined;
    const what = describe('watch', resource, ns, name);
    const judged = (o: T | undefined): void => {
      const v = verdict(o);
      if (v.done) finish({ kind: 'judged', outcome: { state: 'done', ok: v.ok, message: v.message } });
    };
    const stream = conn.stream(
      {
        path: collectionPath(resource, ns),
        query: { watch: 1, fieldSelector: `metadata.name=${name}`, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.ceil(remaining / 1000) },
        what,
        idleTimeoutMs: remaining + 60_000,
      },
      {
        onLine: (line) => {
          let event: { type?: string; object?: T };
          try {
            event = JSON.parse(line) as { type?: string; object?: T };
          } catch {
            return;
          }
          if (event.type === 'DELETED') return judged(undefined);
          if (event.type === 'ERROR') {
            // 410 Gone: the GET's resourceVersion is too old; a fresh GET and watch follow.
            const s = statusBody(JSON.stringify(event.object ?? {}));
            return finish(s.code === 410 ? { kind: 'resume' } : { kind: 'error', message: `${what}: ${s.message ?? 'watch error'}` });
          }
          if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object) judged(event.object);
        },
        onEnd: (error) => finish(error ? { kind: 'error', message: error.message } : { kind: 'resume' }),
      },
    );
    if (signal?.aborted) finish({ kind: 'resume' });
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * HTTP to the API server: one request with a deadline, or one line-delimited stream (a watch). TLS, client
 * certificates, tokens, exec/OIDC credentials and proxy agents come from client-node's KubeConfig; the
 * request itself is node:http(s), so that deadlines, Status bodies and streaming are under our control.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from './clientNode.js';
import { credentialsError, errorFromNetwork, errorFromStatus, ok, timeoutError, type ClusterError, type Result } from './errors.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface Target {
  kc: KubeConfig;
  /** The cluster's server URL, possibly with a path prefix (Rancher, kubectl proxy behind a path). */
  server: string;
  user?: string;
}

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: string;
  contentType?: string;
  /** Names the action and resource in error messages. */
  what: string;
  timeoutMs: number;
}

export interface Response {
  status: number;
  text: string;
}

/** Credentials are produced one request at a time, so that 13 caches starting together run an exec plugin once. */
let credentialQueue: Promise<unknown> = Promise.resolve();

async function requestOptions(t: Target, method: string, headers: Record<string, string>): Promise<Result<https.RequestOptions>> {
  const opts: https.RequestOptions = { method, headers: { ...headers } };
  const run = credentialQueue.then(async () => {
    try {
      await t.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // client-node refuses http:// servers unless insecure-skip-tls-verify is set; kubectl does not
      // (`kubectl proxy` serves http://127.0.0.1:8001). Take the credentials without its agent.
      if (!t.server.startsWith('http:') || !/HTTP protocol is not allowed/.test(String(err))) throw err;
      await (t.kc as unknown as { applyOptions(o: https.RequestOptions): Promise<void> }).applyOptions(opts);
      const user = t.kc.getCurrentUser();
      if (user?.username) opts.auth = `${user.username}:${user.password ?? ''}`;
      opts.agent = new http.Agent();
    }
  });
  credentialQueue = run.catch(() => undefined);
  try {
    await run;
  } catch (err) {
    return { ok: false, error: credentialsError(err, t.user) };
  }
  // client-node makes a new agent per call, which means a TCP and TLS handshake per request. Without a
  // proxy, one keep-alive agent per connection does: the TLS options (CA, client certificate, server name)
  // stay on the request, and Node pools sockets per distinct set of them.
  if (!t.kc.getCurrentCluster()?.proxyUrl) opts.agent = keepAliveAgent(t);
  return ok(opts);
}

const agents = new WeakMap<Target, http.Agent>();

/** Closes the target's pooled sockets; requests still running on them fail. */
export function closeTarget(t: Target): void {
  agents.get(t)?.destroy();
  agents.delete(t);
}

function keepAliveAgent(t: Target): http.Agent {
  let a = agents.get(t);
  if (!a) {
    a = t.server.startsWith('http:') ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
    agents.set(t, a);
  }
  return a;
}

export function urlOf(t: Target, path: string, query?: Query): URL {
  const url = new URL(t.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

function lib(url: URL): typeof https | typeof http {
  return url.protocol === 'http:' ? http : https;
}

/** One request; a non-2xx answer is an error value carrying the server's Status message. */
export async function send(t: Target, req: Request): Promise<Result<Response>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (req.body !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    // Node sends a DELETE body neither chunked nor with a length unless told: the server would read it as
    // the start of the next request.
    headers['Content-Length'] = String(Buffer.byteLength(req.body));
  }
  const o = await requestOptions(t, req.method, headers);
  if (!o.ok) return o;
  const url = urlOf(t, req.path, req.query);
  const first = await attempt(t, req, url, o.value, true);
  // A kept-alive socket the server closed just as it was reused: Node's documented case for one retry of
  // an idempotent request. The retry's own reset (the server is going away) is a network failure.
  return first === 'reset' ? attempt(t, req, url, o.value, false) : first;
}

function attempt(t: Target, req: Request, url: URL, opts: https.RequestOptions, mayRetry: true): Promise<Result<Response> | 'reset'>;
function attempt(t: Target, req: Request, url: URL, opts: https.RequestOptions, mayRetry: false): Promise<Result<Response>>;
function attempt(t: Target, req: Request, url: URL, opts: https.RequestOptions, mayRetry: boolean): Promise<Result<Response> | 'reset'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Result<Response> | 'reset'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const r = lib(url).request(url, opts, (res) => {
      // Decoded as it arrives into a heap string: a list page is a megabyte, and Buffers of that size are
      // malloc'd outside the heap, where freeing them rarely gives the memory back to the system.
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (c: string) => (text += c));
      res.on('error', (err) => settle({ ok: false, error: errorFromNetwork(err, req.what, t.server) }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        settle(status >= 200 && status < 300 ? ok({ status, text }) : { ok: false, error: errorFromStatus(status, text, req.what) });
      });
    });
    const timer = setTimeout(() => {
      settle({ ok: false, error: timeoutError(req.what, req.timeoutMs) });
      r.destroy();
    }, req.timeoutMs);
    r.on('error', (err) => {
      const reset = mayRetry && (err as { code?: string }).code === 'ECONNRESET' && r.reusedSocket && req.method === 'GET';
      settle(reset ? 'reset' : { ok: false, error: errorFromNetwork(err, req.what, t.server) });
    });
    r.end(req.body);
  });
}

export interface StreamRequest {
  path: string;
  query?: Query;
  what: string;
  /** Deadline for the response headers. */
  connectTimeoutMs: number;
  /** The stream is treated as dead (half-open TCP) after this long without a byte. */
  idleTimeoutMs: number;
}

export interface StreamHandlers {
  /** The server accepted the stream (HTTP 200). */
  onOpen?(): void;
  onLine(line: string): void;
  /** Called once: undefined when the server closed the stream, an error otherwise. Not called after abort(). */
  onEnd(error?: ClusterError): void;
}

/** A long-lived GET whose body is newline-delimited JSON (a watch). */
export function openStream(t: Target, req: StreamRequest, h: StreamHandlers): { abort(): void } {
  let aborted = false;
  let ended = false;
  let current: http.ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  const end = (err?: ClusterError): void => {
    if (ended || aborted) return;
    ended = true;
    clearTimeout(timer);
    current?.destroy();
    h.onEnd(err);
  };
  const arm = (ms: number, err: () => ClusterError): void => {
    clearTimeout(timer);
    timer = setTimeout(() => end(err()), ms);
  };
  void (async () => {
    const o = await requestOptions(t, 'GET', { Accept: 'application/json' });
    if (aborted) return;
    if (!o.ok) return end(o.error);
    const url = urlOf(t, req.path, req.query);
    arm(req.connectTimeoutMs, () => timeoutError(req.what, req.connectTimeoutMs));
    current = lib(url).request(url, o.value, (res) => {
      const status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      if (status !== 200) {
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => end(errorFromStatus(status, text, req.what)));
        res.on('error', (err) => end(errorFromNetwork(err, req.what, t.server)));
        return;
      }
      res.socket?.setKeepAlive(true, 30_000);
      h.onOpen?.();
      const idle = (): void => arm(req.idleTimeoutMs, () => timeoutError(`${req.what} (stream idle)`, req.idleTimeoutMs));
      idle();
      let buffered = '';
      res.on('data', (chunk: string) => {
        idle();
        buffered += chunk;
        if (!chunk.includes('\n')) return;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (ended || aborted) return;
          if (line.trim() !== '') h.onLine(line);
        }
      });
      res.on('end', () => {
        if (buffered.trim() !== '' && !aborted) h.onLine(buffered);
        end();
      });
      res.on('error', (err) => end(errorFromNetwork(err, req.what, t.server)));
      res.on('close', () => end(errorFromNetwork(new Error('the stream was closed before its end'), req.what, t.server)));
    });
    current.on('error', (err) => end(errorFromNetwork(err, req.what, t.server)));
    current.end();
  })();
  return {
    abort: () => {
      if (aborted) return;
      aborted = true;
      clearTimeout(timer);
      current?.destroy();
    },
  };
}

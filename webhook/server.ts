/**
 * The HTTPS server over core/admission.ts: `POST /mutate`, `GET /healthz`, `GET /readyz`, `GET /metrics`.
 * HTTP behaviour follows grandeit/pvc-shrink-ray main.go (`handleMutate`) at 13b399d, with two choices:
 * - `application/json; charset=utf-8` is accepted as well as `application/json` (the same media type; the
 *   API server sends the bare form, other clients add the parameter).
 * - A body over 1 MiB is answered 413, not 400: upstream truncates at 1 MiB and then fails to parse, which
 *   reports a size problem as bad JSON. 413 names the actual fault, and the body is not read past the limit
 *   (a declared Content-Length over it is refused before reading anything).
 *
 * Under load or attack it bounds what it holds, so that it stays under its memory limit (and, failing open, never
 * gets OOM-killed into silently not shrinking): at most `maxInFlight` reviews at once (beyond: 429 with Retry-After,
 * the body not read), at most `maxBufferedBytes` of request bodies held across them (beyond: 503 with Retry-After),
 * at most `maxConnections` sockets; a TLS handshake must finish within `handshakeTimeoutMs` and the headers arrive
 * within `headersTimeoutMs`. Probes are never capped: the kubelet must not restart a pod for being busy. The API
 * server treats a refusal as a failed call, and `failurePolicy: Ignore` admits the PVC unchanged, as for any
 * outage. TLS 1.2 is limited to ECDHE key exchange with AEAD ciphers (no CBC, no SHA-1 MACs); TLS 1.3 as Node has it.
 */
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decideWith, extractRequest, type Decision } from '../core/admission.js';
import type { Logger } from './log.js';
import { Metrics, METRICS_CONTENT_TYPE, type ErrorKind } from './metrics.js';
import type { SnapshotSource } from './snapshotSource.js';

export const MAX_BODY_BYTES = 1 << 20;

/** The caps' defaults: sized for the Deployment's 256 Mi limit (bench/webhookSlow.ts measures them). */
export const SERVER_LIMITS = {
  maxInFlight: 32,
  maxBufferedBytes: 8 << 20,
  maxConnections: 256,
  handshakeTimeoutMs: 5_000,
  headersTimeoutMs: 5_000,
} as const;

/**
 * The TLS 1.2 suites offered: ECDHE with AES-GCM or ChaCha20-Poly1305 (Mozilla's "intermediate" list without DHE),
 * which every API server's Go client supports. TLS 1.3's suites are all AEAD and are left as Node sets them.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const;
const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

export interface WebhookServerOptions {
  tls: { cert: string; key: string };
  snapshots: SnapshotSource;
  logger: Logger;
  metrics?: Metrics;
  maxBodyBytes?: number;
  /** Whole-request deadline (upstream: 15 s read/write timeouts). */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this (upstream: 15 s). */
  keepAliveTimeoutMs?: number;
  /** Reviews answered at once; beyond, 429 (default SERVER_LIMITS.maxInFlight). */
  maxInFlight?: number;
  /** Request body bytes held across reviews; beyond, 503 (default SERVER_LIMITS.maxBufferedBytes). */
  maxBufferedBytes?: number;
  /** Open sockets; beyond, new ones are closed at once (default SERVER_LIMITS.maxConnections). */
  maxConnections?: number;
  /** A socket that has not finished its TLS handshake by then is closed (default 5 s; Node's is 120 s). */
  handshakeTimeoutMs?: number;
  /** The request's headers must have arrived by then (default 5 s). */
  headersTimeoutMs?: number;
}

export interface ShutdownResult {
  /** Every in-flight request finished before the deadline. */
  drained: boolean;
  /** Requests cut off at the deadline. */
  abandoned: number;
}

export interface WebhookServer {
  readonly server: Server;
  readonly metrics: Metrics;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** New TLS connections use this pair; open connections keep theirs. */
  setCertificate(pair: { cert: string; key: string }): void;
  /** Stops accepting, answers what is in flight (closing each connection after its answer), then closes. */
  shutdown(timeoutMs: number): Promise<ShutdownResult>;
  readonly inFlight: number;
}

interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({ status, body: `${body}\n`, contentType: 'text/plain; charset=utf-8', headers });

export function createWebhookServer(opts: WebhookServerOptions): WebhookServer {
  const { logger, snapshots } = opts;
  const metrics = opts.metrics ?? new Metrics({ ready: () => snapshots.ready() });
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxInFlight = opts.maxInFlight ?? SERVER_LIMITS.maxInFlight;
  const budget: BodyBudget = { held: 0, max: opts.maxBufferedBytes ?? SERVER_LIMITS.maxBufferedBytes };
  const tlsOptions = { minVersion: 'TLSv1.2' as const, ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':'), honorCipherOrder: true };
  let shuttingDown = false;
  let inFlight = 0;
  let reviews = 0;
  let onIdle: (() => void) | undefined;
  const overload = { refused: 0, lastLogged: 0 };

  const server = createServer(
    {
      ...tlsOptions,
      cert: opts.tls.cert,
      key: opts.tls.key,
      handshakeTimeout: opts.handshakeTimeoutMs ?? SERVER_LIMITS.handshakeTimeoutMs,
      // How often Node checks the headers and request timeouts (default 30 s, which would let a slow sender keep
      // its socket up to 30 s past them).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
    inFlight++;
    metrics.inFlight = inFlight;
    res.once('close', () => {
      inFlight--;
      metrics.inFlight = inFlight;
      if (inFlight === 0) onIdle?.();
    });
    handle(req, res).catch((e: unknown) => {
      // A bug: answer 500 (the API server then applies failurePolicy Ignore) and keep serving.
      metrics.error('internal');
      logger.log('error', 'internal-error', 'unexpected error while answering a request', { error: e, path: req.url });
      if (!res.headersSent) send(res, text(500, 'internal error'));
      else res.destroy();
    });
    },
  );
  server.requestTimeout = opts.requestTimeoutMs ?? 15_000;
  server.headersTimeout = Math.min(server.requestTimeout, opts.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs);
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 15_000;
  server.maxConnections = opts.maxConnections ?? SERVER_LIMITS.maxConnections;
  server.on('tlsClientError', (e: Error, socket: TLSSocket) => {
    logger.log('debug', 'tls-handshake-failed', 'a TLS handshake failed', { error: e.message, remote: socket.remoteAddress });
    socket.destroy();
  });

  function send(res: ServerResponse, r: Reply): void {
    const headers: Record<string, string | number> = { 'Content-Type': r.contentType, 'Content-Length': Buffer.byteLength(r.body), ...r.headers };
    // While draining, each answer closes its connection so that keep-alive clients move to another replica.
    if (shuttingDown) headers.Connection = 'close';
    res.writeHead(r.status, headers);
    res.end(r.body);
  }

  /** 429/503 beyond a cap: counted; logged at most every 10 s (an attack must not flood the logs either). */
  function shed(req: IncomingMessage, res: ServerResponse, status: 429 | 503, why: string): void {
    metrics.error('overloaded');
    overload.refused++;
    const now = Date.now();
    if (now - overload.lastLogged >= 10_000) {
      logger.log('warn', 'overloaded', `refusing reviews (${why}): ${overload.refused} refused since the last such line; the API server admits those PVCs unchanged`, {
        status,
        refused: overload.refused,
        inFlight: reviews,
        bufferedBytes: budget.held,
      });
      overload.lastLogged = now;
      overload.refused = 0;
    }
    // The body is not read: the connection closes once the answer is out.
    res.once('finish', () => req.socket.destroy());
    send(res, text(status, `overloaded: ${why}; retry later`, { 'Retry-After': '1', Connection: 'close' }));
  }

  function refuse(res: ServerResponse, kind: ErrorKind, r: Reply, fields: Record<string, unknown>): void {
    metrics.error(kind);
    logger.log('warn', 'request-refused', `refused: ${r.body.trim()}`, { status: r.status, ...fields });
    send(res, r);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/mutate':
        return mutate(req, res);
      case '/healthz':
        return probe(req, res, () => text(200, 'ok'));
      case '/readyz':
        return probe(req, res, () =>
          shuttingDown ? text(503, 'shutting down') : snapshots.ready() ? text(200, 'ok') : text(503, 'the VolumeSnapshot cache has not synced yet'),
        );
      case '/metrics':
        return probe(req, res, () => ({ status: 200, body: metrics.render(), contentType: METRICS_CONTENT_TYPE }));
      default:
        req.resume();
        return send(res, text(404, 'not found'));
    }
  }

  function probe(req: IncomingMessage, res: ServerResponse, reply: () => Reply): void {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, text(405, 'method not allowed', { Allow: 'GET, HEAD' }));
    const r = reply();
    if (req.method === 'HEAD') {
      res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': Buffer.byteLength(r.body) });
      res.end();
      return;
    }
    send(res, r);
  }

  async function mutate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    res.once('finish', () => metrics.latency(Number(process.hrtime.bigint() - started) / 1e9));
    const where = { remote: req.socket.remoteAddress };
    if (req.method !== 'POST') {
      req.resume();
      return refuse(res, 'method-not-allowed', text(405, 'invalid request method, expected POST', { Allow: 'POST' }), { ...where, method: req.method });
    }
    const contentType = req.headers['content-type'];
    if (!isJson(contentType)) {
      req.resume();
      return refuse(res, 'unsupported-media-type', text(415, 'invalid content type, expected application/json'), { ...where, contentType: contentType ?? null });
    }
    if (reviews >= maxInFlight) return shed(req, res, 429, `${maxInFlight} reviews in flight`);
    reviews++;
    let reserved = 0;
    res.once('close', () => {
      reviews--;
      budget.held -= reserved;
    });
    const body = await readBody(req, maxBody, budget, (n) => (reserved += n));
    if (body.kind === 'over-budget') return shed(req, res, 503, `${budget.max} bytes of request bodies held`);
    if (body.kind === 'too-large') {
      // The rest of the body is not read: close the connection rather than drain it.
      return refuse(res, 'payload-too-large', text(413, `request body larger than ${maxBody} bytes`, { Connection: 'close' }), where);
    }
    if (body.kind === 'aborted') return; // the client went away; nothing to answer
    if (body.text.length === 0) return refuse(res, 'bad-request', text(400, 'empty request body'), where);
    let review: unknown;
    try {
      review = JSON.parse(body.text);
    } catch (e) {
      return refuse(res, 'bad-request', text(400, `failed to parse the admission review: ${e instanceof Error ? e.message : String(e)}`), where);
    }
    const extracted = extractRequest(review);
    if (extracted.kind === 'invalid') return refuse(res, 'bad-request', text(400, extracted.error), where);
    let decision: Decision;
    if (extracted.kind === 'decided') decision = extracted;
    else {
      const { namespace, name } = extracted.snapshot;
      const found = await snapshots.get(namespace, name);
      decision = decideWith(extracted, found);
      if (!found.ok) metrics.error('snapshot-lookup');
    }
    metrics.admission(decision.result);
    logDecision(decision);
    send(res, { status: 200, body: JSON.stringify(decision.review), contentType: 'application/json' });
  }

  function logDecision(d: Decision): void {
    const fields = {
      uid: d.review.response.uid,
      result: d.result,
      reason: d.reason,
      pvc: d.pvc && `${d.pvc.namespace}/${d.pvc.name}`,
      snapshot: d.snapshot && `${d.snapshot.namespace}/${d.snapshot.name}`,
    };
    if (d.patch) {
      const msg = `Zapping oversized PVC ${fields.pvc}! Reducing size from ${d.patch.from} to RestoreSize ${d.patch.to} (VolumeSnapshot: ${fields.snapshot})`;
      logger.log('info', 'pvc-patched', msg, { ...fields, namespace: d.pvc?.namespace, name: d.pvc?.name, from: d.patch.from, fromBytes: d.patch.fromBytes, to: d.patch.to, toBytes: d.patch.toBytes });
    } else if (d.result === 'failed-open') {
      logger.log('warn', 'pvc-allowed-unchanged', d.message, fields);
    } else if (logger.enabled('debug')) {
      logger.log('debug', 'pvc-allowed-unchanged', d.message, fields);
    }
  }

  return {
    server,
    metrics,
    get inFlight() {
      return inFlight;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    setCertificate(pair) {
      server.setSecureContext({ ...tlsOptions, cert: pair.cert, key: pair.key });
    },
    shutdown(timeoutMs) {
      shuttingDown = true;
      return new Promise<ShutdownResult>((resolve) => {
        let done = false;
        const finish = (drained: boolean) => {
          if (done) return;
          done = true;
          clearTimeout(deadline);
          const abandoned = inFlight;
          server.closeAllConnections();
          resolve({ drained, abandoned });
        };
        const deadline = setTimeout(() => finish(false), timeoutMs);
        onIdle = () => {
          server.closeIdleConnections();
          finish(true);
        };
        server.close(); // stops accepting; closes idle keep-alive connections (Node >= 19)
        if (inFlight === 0) onIdle();
      });
    },
  };
}

/** `application/json`, optionally with a UTF-8 charset parameter; case-insensitive as media types are. */
export function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || /^charset="?utf-8"?$/.test(p));
}

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'over-budget' } | { kind: 'aborted' };

/** Request body bytes held by the reviews in flight, against the cap. */
interface BodyBudget {
  held: number;
  max: number;
}

/**
 * Reads a body of at most `limit` bytes, taking its bytes from `budget` (a declared Content-Length at once, else
 * as chunks arrive) and telling `took` each amount taken, which the caller gives back when the review is answered.
 */
function readBody(req: IncomingMessage, limit: number, budget: BodyBudget, took: (bytes: number) => void): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  let reserved = 0;
  const take = (bytes: number): boolean => {
    if (budget.held + bytes > budget.max) return false;
    budget.held += bytes;
    reserved += bytes;
    took(bytes);
    return true;
  };
  if (Number.isFinite(declared) && declared > 0 && !take(declared)) return Promise.resolve({ kind: 'over-budget' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (b: Body) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(b);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        return settle({ kind: 'too-large' });
      }
      if (size > reserved && !take(size - reserved)) {
        req.pause();
        return settle({ kind: 'over-budget' });
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle({ kind: 'ok', text: Buffer.concat(chunks, size).toString('utf8') }));
    req.once('aborted', () => settle({ kind: 'aborted' }));
    req.once('error', () => settle({ kind: 'aborted' }));
  });
}

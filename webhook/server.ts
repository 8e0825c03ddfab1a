/**
 * The HTTPS server over core/admission.ts: `POST /mutate`, `GET /healthz`, `GET /readyz`, `GET /metrics`.
 * HTTP behaviour follows grandeit/pvc-shrink-ray main.go (`handleMutate`) at 13b399d, with two choices:
 * - `application/json; charset=utf-8` is accepted as well as `application/json` (the same media type; the
 *   API server sends the bare form, other clients add the parameter).
 * - A body over 1 MiB is answered 413, not 400: upstream truncates at 1 MiB and then fails to parse, which
 *   reports a size problem as bad JSON. 413 names the actual fault, and the body is not read past the limit
 *   (a declared Content-Length over it is refused before reading anything).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decideWith, extractRequest, type Decision } from '../core/admission.js';
import type { Logger } from './log.js';
import { Metrics, METRICS_CONTENT_TYPE, type ErrorKind } from './metrics.js';
import type { SnapshotSource } from './snapshotSource.js';

export const MAX_BODY_BYTES = 1 << 20;

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
  const tlsOptions = { minVersion: 'TLSv1.2' as const };
  let shuttingDown = false;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  const server = createServer({ ...tlsOptions, cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
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
  });
  server.requestTimeout = opts.requestTimeoutMs ?? 15_000;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 15_000;
  server.on('tlsClientError', (e) => logger.log('debug', 'tls-handshake-failed', 'a TLS handshake failed', { error: e.message }));

  function send(res: ServerResponse, r: Reply): void {
    const headers: Record<string, string | number> = { 'Content-Type': r.contentType, 'Content-Length': Buffer.byteLength(r.body), ...r.headers };
    // While draining, each answer closes its connection so that keep-alive clients move to another replica.
    if (shuttingDown) headers.Connection = 'close';
    res.writeHead(r.status, headers);
    res.end(r.body);
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
    const body = await readBody(req, maxBody);
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

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
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
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle({ kind: 'ok', text: Buffer.concat(chunks, size).toString('utf8') }));
    req.once('aborted', () => settle({ kind: 'aborted' }));
    req.once('error', () => settle({ kind: 'aborted' }));
  });
}

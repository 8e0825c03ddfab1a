// Test helpers for the emulator's own tests: raw HTTP(S) requests, a watch-stream reader, condition
// polling with a deadline, and a small HTTPS admission webhook server.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CertificateAuthority } from './tls.js';
import { issueServingCert } from './tls.js';
import type { Emulator, EmulatorUser } from './types.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body; tests read arbitrary shapes. */
  json: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  body?: unknown;
  contentType?: string;
  user?: EmulatorUser | 'none';
}

const encode = (body: unknown): string => (typeof body === 'string' ? body : JSON.stringify(body));

function options(emu: Emulator, r: RawRequest, extra: http.RequestOptions = {}): https.RequestOptions {
  const u = new URL(emu.url);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (r.user !== 'none') headers['Authorization'] = `Bearer ${emu.tokens[r.user ?? 'admin']}`;
  if (r.body !== undefined) {
    headers['Content-Type'] = r.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(encode(r.body)));
  }
  return { host: u.hostname, port: Number(u.port), path: r.path, method: r.method ?? 'GET', headers, ...(emu.caPem ? { ca: emu.caPem } : {}), ...extra };
}

/** One request to the emulator as `user` (default admin); the body is JSON-encoded unless a string. */
export function raw(emu: Emulator, r: RawRequest): Promise<RawResponse> {
  const mod = emu.url.startsWith('https') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(options(emu, r), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(r.body === undefined ? undefined : encode(r.body));
  });
}

/** Polls `cond` every 5 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface WatchEvent {
  type: string;
  object: any;
}

export interface WatchReader {
  status: number;
  events: WatchEvent[];
  ended: boolean;
  /** Waits until at least `n` events arrived. */
  waitForEvents(n: number): Promise<WatchEvent[]>;
  waitForEnd(): Promise<void>;
  close(): void;
}

/** Opens a watch (`path` with its query) and collects the events. */
export function openWatch(emu: Emulator, path: string, user: EmulatorUser = 'admin'): Promise<WatchReader> {
  const mod = emu.url.startsWith('https') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(options(emu, { path, user }), (res) => {
      const reader: WatchReader = {
        status: res.statusCode ?? 0,
        events: [],
        ended: false,
        async waitForEvents(n) {
          await waitFor(`${n} watch events (have ${reader.events.map((e) => e.type).join(',')})`, () => reader.events.length >= n);
          return reader.events;
        },
        async waitForEnd() {
          await waitFor('the watch to end', () => reader.ended);
        },
        close() {
          req.destroy();
        },
      };
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) reader.events.push(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('end', () => (reader.ended = true));
      res.on('close', () => (reader.ended = true));
      res.on('error', () => (reader.ended = true));
      resolve(reader);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface AdmissionReviewRequest {
  uid: string;
  operation: string;
  name: string;
  namespace?: string;
  dryRun: boolean;
  object: any;
  oldObject: any;
  kind: { group: string; version: string; kind: string };
  [k: string]: any;
}

export interface WebhookAnswer {
  allowed?: boolean;
  patch?: unknown[];
  status?: { code?: number; message?: string; reason?: string };
}

export interface TestWebhook {
  url: string;
  port: number;
  caBundle: string;
  requests: AdmissionReviewRequest[];
  close(): Promise<void>;
}

/**
 * An HTTPS admission webhook on 127.0.0.1, its certificate issued by `ca` for `hosts` (add
 * `<svc>.<ns>.svc` to reach it through a service). `decide` maps each request to an answer.
 */
export async function startWebhook(ca: CertificateAuthority, hosts: string[], decide: (r: AdmissionReviewRequest) => WebhookAnswer | Promise<WebhookAnswer>): Promise<TestWebhook> {
  const cert = await issueServingCert(ca, ['127.0.0.1', ...hosts]);
  const requests: AdmissionReviewRequest[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: AdmissionReviewRequest };
        requests.push(review.request);
        const a = await decide(review.request);
        const response: Record<string, unknown> = { uid: review.request.uid, allowed: a.allowed ?? true };
        if (a.patch) {
          response['patchType'] = 'JSONPatch';
          response['patch'] = Buffer.from(JSON.stringify(a.patch)).toString('base64');
        }
        if (a.status) response['status'] = a.status;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const pvc = (name: string, size = '1Gi', labels?: Record<string, string>, namespace = 'default'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
});

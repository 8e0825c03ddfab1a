// HTTPS POST of an AdmissionReview to a webhook, as kube-apiserver makes it: the CA from `caBundle`,
// the certificate checked against the service DNS name (or the URL host), `?timeout=Ns`, a deadline.
import https from 'node:https';
import type { ServiceRegistry } from './types.js';

/** A failure to reach or understand a webhook (failurePolicy decides what it means). */
export class CallError extends Error {}

export interface Endpoint {
  /** The URL actually requested. */
  url: URL;
  /** The URL kube-apiserver would show in messages (service DNS name for services). */
  shownUrl: string;
  /** Host name the serving certificate must carry. */
  servername: string;
}

export interface ClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  caBundle?: string;
}

/** Service registry: `namespace/name:port` → base URL. */
export class Services implements ServiceRegistry {
  private readonly map = new Map<string, string>();

  register(namespace: string, name: string, port: number | undefined, url: string): void {
    this.map.set(`${namespace}/${name}:${port ?? 443}`, url.replace(/\/+$/, ''));
  }

  unregister(namespace: string, name: string, port?: number): void {
    this.map.delete(`${namespace}/${name}:${port ?? 443}`);
  }

  /** Resolves a webhook clientConfig; throws CallError when the service is unknown. */
  resolve(cc: ClientConfig, timeoutSeconds: number): Endpoint {
    const q = `timeout=${timeoutSeconds}s`;
    if (cc.url) {
      const url = new URL(cc.url);
      url.search = url.search ? `${url.search}&${q}` : `?${q}`;
      return { url, shownUrl: url.toString(), servername: url.hostname };
    }
    const svc = cc.service;
    if (!svc) throw new CallError('webhook clientConfig has neither url nor service');
    const port = svc.port ?? 443;
    const path = svc.path ?? '/';
    const host = `${svc.name}.${svc.namespace}.svc`;
    const shownUrl = `https://${host}:${port}${path}?${q}`;
    const base = this.map.get(`${svc.namespace}/${svc.name}:${port}`);
    if (!base) throw new CallError(`failed to call webhook: Post "${shownUrl}": service "${svc.name}" not found`);
    return { url: new URL(`${base}${path}?${q}`), shownUrl, servername: host };
  }
}

/** POSTs `body` and resolves with the parsed JSON answer; rejects with CallError. */
export function postJson(ep: Endpoint, caBundle: string | undefined, body: unknown, timeoutMs: number): Promise<unknown> {
  const data = Buffer.from(JSON.stringify(body));
  const fail = (why: string): CallError => new CallError(`failed to call webhook: Post "${ep.shownUrl}": ${why}`);
  return new Promise((resolve, reject) => {
    if (ep.url.protocol !== 'https:') {
      reject(fail('webhooks must be called over https'));
      return;
    }
    const req = https.request(
      ep.url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*', 'Content-Length': data.length },
        ca: caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined,
        servername: /^[\d.]+$/.test(ep.servername) ? undefined : ep.servername,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
            reject(new CallError(`failed to call webhook: the server responded with status code ${res.statusCode}: ${text.slice(0, 200)}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as unknown);
          } catch {
            reject(new CallError(`received invalid webhook response: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', (e) => reject(fail(e.message)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(fail('context deadline exceeded'));
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(fail(e.code === 'ECONNREFUSED' ? `dial tcp ${ep.url.host}: connect: connection refused` : e.message));
    });
    req.end(data);
  });
}

// Shared by the webhook tests: certificates from core's generator (@peculiar/x509), a server on
// 127.0.0.1:0 over an in-memory snapshot source, HTTPS requests that verify the server against the test
// CA under the Service name the API server would dial, and condition polling with a deadline.
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { generateSelfSignedTls, type GeneratedTls } from '../../core/ops/webhook/selfSigned.js';
import { jsonLogger, type Logger } from '../../webhook/log.js';
import { createWebhookServer, type WebhookServer, type WebhookServerOptions } from '../../webhook/server.js';
import { MemorySnapshotSource, type SnapshotSource } from '../../webhook/snapshotSource.js';

export const SERVICE_NAME = 'kubevirt-storage-restore-size.kvs-system.svc';
export const LABEL = 'cdi.kubevirt.io/applyStorageProfile';

export function makeTls(ca?: GeneratedTls): Promise<GeneratedTls> {
  return generateSelfSignedTls({
    dnsNames: ['kubevirt-storage-restore-size', 'kubevirt-storage-restore-size.kvs-system', SERVICE_NAME],
    now: new Date(),
    crypto: globalThis.crypto,
    ...(ca ? { ca: { certificatePem: ca.caCertificatePem, privateKeyPem: ca.caPrivateKeyPem } } : {}),
  });
}

export interface CapturedLog {
  lines: Record<string, unknown>[];
  logger: Logger;
}

export function captureLog(level: 'debug' | 'info' = 'info'): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: jsonLogger({ level, write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }) };
}

export interface Running {
  webhook: WebhookServer;
  port: number;
  tls: GeneratedTls;
  snapshots: SnapshotSource;
  log: CapturedLog;
  close(): Promise<void>;
}

export async function startServer(
  opts: { snapshots?: SnapshotSource; tls?: GeneratedTls } & Partial<Omit<WebhookServerOptions, 'tls' | 'snapshots' | 'logger'>> = {},
): Promise<Running> {
  const { snapshots: given, tls: givenTls, ...serverOptions } = opts;
  const tls = givenTls ?? (await makeTls());
  const snapshots = given ?? new MemorySnapshotSource();
  const log = captureLog('debug');
  const webhook = createWebhookServer({ ...serverOptions, tls: { cert: tls.certificatePem, key: tls.privateKeyPem }, snapshots, logger: log.logger });
  const address = await webhook.listen(0, '127.0.0.1');
  return {
    webhook,
    port: address.port,
    tls,
    snapshots,
    log,
    close: async () => {
      await webhook.shutdown(1000);
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection, the server verified against `ca` as `SERVICE_NAME`. */
export function call(port: number, ca: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, method, path, ca, servername: SERVICE_NAME, agent: false, headers: body === undefined ? headers : { 'Content-Length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw TLS connection to the server (for requests written piece by piece). */
export function rawConnect(port: number, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca, servername: SERVICE_NAME }, () => resolve(s));
    s.once('error', reject);
  });
}

/** The serial number of the certificate a new TLS connection is served (uppercase hex, as Node prints it). */
export async function servedSerial(port: number, ca: string): Promise<string> {
  const s = await rawConnect(port, ca);
  const serial = s.getPeerCertificate().serialNumber;
  s.destroy();
  return serial;
}

/** Reads a raw HTTP/1.1 response off a socket until the connection closes or the body is complete. */
export function readResponse(socket: TLSSocket): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const tryParse = (final: boolean) => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return final ? reject(new Error(`no HTTP response: ${JSON.stringify(data)}`)) : undefined;
      const head = data.slice(0, end);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
      const body = data.slice(end + 4);
      if (final || (Number.isFinite(length) && Buffer.byteLength(body) >= length)) {
        socket.off('data', onData);
        resolve({ status: Number(head.split(' ')[1]), head, body });
      }
    };
    const onData = (c: Buffer) => {
      data += c.toString('utf8');
      tryParse(false);
    };
    socket.on('data', onData);
    socket.once('close', () => tryParse(true));
    socket.once('error', () => tryParse(true));
  });
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function pvcReview(opts: { storage?: string; snapshot?: string; namespace?: string; kind?: string; uid?: string } = {}): Record<string, unknown> {
  const namespace = opts.namespace ?? 'vms';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: opts.uid ?? 'e911857d-c318-11e8-bbad-025000000001',
      kind: { group: '', version: 'v1', kind: opts.kind ?? 'PersistentVolumeClaim' },
      resource: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
      operation: 'CREATE',
      namespace,
      name: 'restore-tpm',
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'restore-tpm', namespace, labels: { [LABEL]: 'true' } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: opts.snapshot ?? 'vm-snap' },
          resources: { requests: { storage: opts.storage ?? '22229812' } },
        },
      },
    },
  };
}

export function snapshot(namespace: string, name: string, restoreSize: string): object {
  return { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { namespace, name }, status: { readyToUse: true, restoreSize } };
}

/** The value of one sample in Prometheus text, e.g. `metric(text, 'x_total{result="patched"}')`. */
export function metric(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Plays the deployment controller for one Deployment: whenever its spec changed (generation ahead of
 * observedGeneration), its status says every replica is updated and ready. Stop it at the end of the test.
 */
export function playDeploymentController(emu: { store: { get(a: string, k: string, ns: string, n: string): object | undefined; patchStatus(a: string, k: string, ns: string, n: string, s: object): object } }, namespace: string, name: string): { stop(): void } {
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const d = emu.store.get('apps/v1', 'Deployment', namespace, name) as { metadata: { generation: number }; spec: { replicas?: number }; status?: { observedGeneration?: number } } | undefined;
    if (d && d.status?.observedGeneration !== d.metadata.generation) {
      const n = d.spec.replicas ?? 1;
      emu.store.patchStatus('apps/v1', 'Deployment', namespace, name, { observedGeneration: d.metadata.generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n });
    }
    setTimeout(tick, 5);
  };
  tick();
  return { stop: () => void (stopped = true) };
}

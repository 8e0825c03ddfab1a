// Issue 16 item 5: the webhook under attack. Reviews beyond the in-flight cap get 429 and bodies beyond the byte
// budget 503, both with Retry-After and without reading the body; probes still answer; sockets that never start
// TLS, and requests whose headers never end, are closed; beyond the connection cap new sockets are closed at once;
// TLS 1.2 offers AEAD suites only; logged fields are bounded.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MAX_LOGGED_CHARS } from '../../webhook/log.js';
import type { SnapshotSource } from '../../webhook/snapshotSource.js';
import { call, metric, pvcReview, rawConnect, readResponse, SERVICE_NAME, snapshot, startServer, until, type Running } from './helpers.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const P = 'kubevirt_storage_restore_size_webhook';

/** A snapshot source whose lookups wait until released. */
function gatedSource(): SnapshotSource & { release(): void; waiting: number } {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const source = {
    waiting: 0,
    async get() {
      source.waiting++;
      await gate;
      source.waiting--;
      return { ok: true as const, snapshot: snapshot('vms', 'vm-snap', '20Mi') };
    },
    ready: () => true,
    close: () => undefined,
    release() {
      release();
      gate = new Promise<void>((r) => (release = r));
    },
  };
  return source;
}

/** Resolves when the server has closed `socket` (what it sent is read and dropped, so that the end can arrive). */
function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    socket.once('close', () => resolve());
    socket.on('error', () => undefined);
    socket.resume();
  });
}

describe('webhook limits', () => {
  const servers: Running[] = [];
  const start = async (opts: Parameters<typeof startServer>[0]) => {
    const s = await startServer(opts);
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('beyond maxInFlight reviews: 429 with Retry-After, probes still 200, and reviews again once below', async () => {
    const source = gatedSource();
    const s = await start({ snapshots: source, maxInFlight: 2 });
    const post = () => call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), JSON_HEADERS);
    const first = [post(), post()];
    await until(() => source.waiting === 2, 'two reviews in flight');
    const refused = await post();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.headers.connection, 'close');
    assert.match(refused.body, /overloaded: 2 reviews in flight/);
    assert.equal((await call(s.port, s.tls.caCertificatePem, 'GET', '/healthz')).status, 200, 'probes are never capped');
    assert.equal((await call(s.port, s.tls.caCertificatePem, 'GET', '/readyz')).status, 200);
    source.release();
    for (const r of await Promise.all(first)) assert.equal(r.status, 200);
    const again = post();
    await until(() => source.waiting === 1, 'the next review in flight');
    source.release();
    assert.equal((await again).status, 200);
    const metrics = (await call(s.port, s.tls.caCertificatePem, 'GET', '/metrics')).body;
    assert.equal(metric(metrics, `${P}_errors_total{kind="overloaded"}`), 1);
    assert.equal(s.log.lines.filter((l) => l.event === 'overloaded').length, 1);
  });

  test('beyond maxBufferedBytes of bodies: 503 with Retry-After, for a declared length at once and for a chunked body as it grows', async () => {
    const s = await start({ maxBufferedBytes: 3000 });
    // A slow sender holds 2,000 bytes of the budget: it declared them and sends them slowly.
    const slow = await rawConnect(s.port, s.tls.caCertificatePem);
    slow.write('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"request":');
    await until(() => s.webhook.inFlight === 1, 'the slow review to be in flight');
    const declared = await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', 'x'.repeat(1500), JSON_HEADERS);
    assert.equal(declared.status, 503);
    assert.equal(declared.headers['retry-after'], '1');
    assert.match(declared.body, /3000 bytes of request bodies held/);
    // Chunked: no length up front; refused once its bytes pass what is left.
    const chunked = await rawConnect(s.port, s.tls.caCertificatePem);
    chunked.write('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const answer = readResponse(chunked);
    for (let i = 0; i < 4 && !chunked.destroyed; i++) chunked.write(`${(400).toString(16)}\r\n${'y'.repeat(400)}\r\n`);
    const r = await answer;
    assert.equal(r.status, 503);
    assert.match(r.head, /retry-after: 1/i);
    // A small review still fits beside the slow one.
    const small = await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), JSON_HEADERS);
    assert.equal(small.status, 200);
    slow.destroy();
    await until(() => s.webhook.inFlight === 0, 'the slow review to be gone');
    // Its bytes are given back: a review of 2,500 bytes fits now.
    const padded = JSON.stringify({ ...pvcReview(), pad: 'z'.repeat(2500 - JSON.stringify(pvcReview()).length - 10) });
    assert.equal((await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', padded, JSON_HEADERS)).status, 200);
  });

  test('a socket that never starts TLS is closed after handshakeTimeoutMs, one that never ends its headers after headersTimeoutMs', { timeout: 20_000 }, async () => {
    const s = await start({ handshakeTimeoutMs: 200, headersTimeoutMs: 300 });
    const plain = netConnect({ host: '127.0.0.1', port: s.port });
    await new Promise<void>((resolve) => plain.once('connect', () => resolve()));
    await closed(plain); // the test's own deadline ends it if the server never does
    const tls = await rawConnect(s.port, s.tls.caCertificatePem);
    tls.write('POST /mutate HTTP/1.1\r\nHost: x\r\n');
    await closed(tls);
  });

  test('beyond maxConnections new sockets are closed at once; the server serves again when they go', { timeout: 20_000 }, async () => {
    const s = await start({ maxConnections: 2 });
    const held = [await rawConnect(s.port, s.tls.caCertificatePem), await rawConnect(s.port, s.tls.caCertificatePem)];
    const extra = netConnect({ host: '127.0.0.1', port: s.port });
    await closed(extra);
    for (const h of held) h.destroy();
    await until(async () => (await call(s.port, s.tls.caCertificatePem, 'GET', '/healthz').then((r) => r.status, () => 0)) === 200, 'a connection to be accepted again');
  });

  test('TLS 1.2 offers AEAD suites only: a CBC-SHA1 client is refused, a GCM one served', async () => {
    const s = await start({});
    const handshake = (ciphers: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: s.port, ca: s.tls.caCertificatePem, servername: SERVICE_NAME, maxVersion: 'TLSv1.2', ciphers }, () => {
          const name = socket.getCipher().name;
          socket.destroy();
          resolve(name);
        });
        socket.once('error', reject);
      });
    await assert.rejects(handshake('ECDHE-ECDSA-AES128-SHA'), /handshake failure|no shared cipher|alert/i);
    await assert.rejects(handshake('ECDHE-ECDSA-AES256-SHA384'), /handshake failure|no shared cipher|alert/i);
    assert.equal(await handshake('ECDHE-ECDSA-AES128-GCM-SHA256'), 'ECDHE-ECDSA-AES128-GCM-SHA256');
    assert.equal(await handshake('ECDHE-ECDSA-CHACHA20-POLY1305'), 'ECDHE-ECDSA-CHACHA20-POLY1305');
  });

  test('a 64 KB uid is answered in full but logged bounded', async () => {
    const s = await start({});
    const uid = 'u'.repeat(64 * 1024);
    const r = await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview({ uid, snapshot: 'absent' })), JSON_HEADERS);
    assert.equal(r.status, 200);
    assert.equal((JSON.parse(r.body) as { response: { uid: string } }).response.uid, uid, 'the API server needs its uid back');
    const line = s.log.lines.find((l) => l.event === 'pvc-allowed-unchanged');
    assert.ok(line);
    assert.ok(String(line.uid).length <= MAX_LOGGED_CHARS + 40, `uid logged as ${String(line.uid).length} characters`);
    assert.match(String(line.uid), /…\(65024 more characters\)$/);
    assert.ok(JSON.stringify(line).length < 4096);
  });
});

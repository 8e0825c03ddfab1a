// The webhook as a process (webhook/main.ts through tsx, as dist/webhook.js runs it): JSON logs on stdout,
// exit codes, and SIGTERM in the middle of a request: no new connections, the request completes, exit 0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedTls } from '../../core/ops/webhook/selfSigned.js';
import { call, makeTls, metric, pvcReview, rawConnect, readResponse, until } from './helpers.js';

const ENTRY = join(__dirname, '..', '..', 'webhook', 'main.ts');

interface Child {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string;
  exited: Promise<number | null>;
}

function spawnWebhook(args: string[]): Child {
  // An explicit kubeconfig that does not exist: the process must run (and fail open) without a cluster.
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    env: { ...process.env, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { proc, lines: [], stderr: '', exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
  let buffer = '';
  proc.stdout?.on('data', (c: Buffer) => {
    buffer += c.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      child.lines.push(JSON.parse(line) as Record<string, unknown>); // every stdout line is JSON
    }
  });
  proc.stderr?.on('data', (c: Buffer) => (child.stderr += c.toString('utf8')));
  return child;
}

describe('webhook process', () => {
  let dir: string;
  let tls: GeneratedTls;
  let certPath: string;
  let keyPath: string;
  const running: Child[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvs-webhook-proc-'));
    tls = await makeTls();
    certPath = join(dir, 'tls.crt');
    keyPath = join(dir, 'tls.key');
    writeFileSync(certPath, tls.certificatePem);
    writeFileSync(keyPath, tls.privateKeyPem);
  });
  after(() => {
    for (const c of running) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(extra: string[] = []): Promise<{ child: Child; port: number }> {
    const child = spawnWebhook(['--cert', certPath, '--key', keyPath, '--port', '0', '--host', '127.0.0.1', '--kubeconfig', join(dir, 'no-kubeconfig'), ...extra]);
    running.push(child);
    await until(() => child.lines.some((l) => l.event === 'listening') || child.proc.exitCode !== null, 'the listening log line', 20_000);
    const listening = child.lines.find((l) => l.event === 'listening');
    assert.ok(listening, `not listening: ${child.stderr}`);
    return { child, port: Number(listening.port) };
  }

  test('SIGTERM mid-request: the request completes, new connections are refused, exit 0', async () => {
    const { child, port } = await start();
    const ca = tls.caCertificatePem;
    assert.equal((await call(port, ca, 'GET', '/healthz')).status, 200);
    assert.equal((await call(port, ca, 'GET', '/readyz')).status, 503, 'no cluster: the cache never syncs');

    // Headers and half the body: the request is in flight (the server counts it once the headers are in).
    const body = JSON.stringify(pvcReview({ kind: 'Pod' }));
    const half = Math.floor(body.length / 2);
    const sock = await rawConnect(port, ca);
    const answer = readResponse(sock);
    sock.write(`POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
    await until(async () => metric((await call(port, ca, 'GET', '/metrics')).body, 'kubevirt_storage_restore_size_webhook_in_flight_requests') === 2, 'the half-sent review to be in flight (plus the metrics request)');

    child.proc.kill('SIGTERM');
    await until(() => child.lines.some((l) => l.event === 'shutting-down'), 'the shutting-down log line');
    assert.equal(child.lines.find((l) => l.event === 'shutting-down')?.inFlight, 1);
    await assert.rejects(call(port, ca, 'GET', '/healthz'), /ECONNREFUSED/);

    sock.write(body.slice(half));
    const r = await answer;
    assert.equal(r.status, 200);
    assert.match(r.head, /connection: close/i);
    assert.equal((JSON.parse(r.body) as { response: { allowed: boolean } }).response.allowed, true);
    assert.equal(await child.exited, 0);
    assert.equal(child.lines.at(-1)?.event, 'stopped');
    assert.match(String(child.lines.at(-1)?.msg), /drained/);
    for (const l of child.lines) assert.ok(typeof l.time === 'string' && typeof l.level === 'string' && typeof l.event === 'string' && typeof l.msg === 'string');
  });

  test('the drain is bounded by --drain-timeout: a stuck request is cut off and the process still exits 0', async () => {
    const { child, port } = await start(['--drain-timeout', '0.3']);
    const sock = await rawConnect(port, tls.caCertificatePem);
    sock.on('error', () => undefined);
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.write('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await until(async () => metric((await call(port, tls.caCertificatePem, 'GET', '/metrics')).body, 'kubevirt_storage_restore_size_webhook_in_flight_requests') === 2, 'the stuck request to be in flight');
    child.proc.kill('SIGTERM');
    assert.equal(await child.exited, 0);
    await closed;
    assert.match(String(child.lines.at(-1)?.msg), /1 request\(s\) cut off/);
  });

  test('usage errors exit 2; an unusable certificate exits 1 with a JSON log line', async () => {
    const missing = spawnWebhook(['--port', '0']);
    assert.equal(await missing.exited, 2);
    assert.match(missing.stderr, /--cert and --key are required/);

    const unknown = spawnWebhook(['--cert', certPath, '--key', keyPath, '--frobnicate']);
    assert.equal(await unknown.exited, 2);

    const other = await makeTls();
    const wrongKey = join(dir, 'wrong.key');
    writeFileSync(wrongKey, other.privateKeyPem);
    const bad = spawnWebhook(['--cert', certPath, '--key', wrongKey, '--port', '0']);
    assert.equal(await bad.exited, 1);
    assert.equal(bad.lines[0]?.event, 'certificate-invalid');
  });
});

/**
 * cluster/transport.ts against a loopback HTTP server that closes kept-alive sockets as they are reused: one retry
 * of an idempotent GET, and when the retry's socket is reset too, a network failure value (not a crash).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientNode } from '../../cluster/clientNode.js';
import { closeTarget, send, type Target } from '../../cluster/transport.js';

let server: http.Server;
let target: Target;
/** While true, the server drops every request's socket instead of answering. */
let dropping = false;

before(async () => {
  server = http.createServer((req, res) => {
    if (dropping) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromString(JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: url } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  }));
  target = { kc, server: url, user: 'u' };
});

after(async () => {
  closeTarget(target);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('a GET whose reused socket and retry socket are both reset is a network failure, not a crash', async () => {
  const get = () => send(target, { method: 'GET', path: '/version', what: 'get the version', timeoutMs: 5000 });
  // Two requests at once leave two kept-alive sockets in the pool.
  const warm = await Promise.all([get(), get()]);
  assert.ok(warm.every((r) => r.ok));
  dropping = true;
  const r = await get();
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.error.kind === 'unreachable', JSON.stringify(r));
  assert.match(!r.ok ? r.error.message : '', /^get the version: cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection reset\)$/);
});

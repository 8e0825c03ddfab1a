/** Contract tests of cluster/connection.ts and cluster/kubeconfig.ts against the emulator (or KVS_TEST_KUBECONFIG). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { connect } from '../../cluster/connection.js';
import { listContexts } from '../../cluster/kubeconfig.js';
import { emulatorOnly, needsUser, describeTargets, type TestTarget } from './target.js';

describeTargets('cluster/connection', (spec) => {
  let target: TestTarget;
  let scratch: string;
  /** An environment without KUBECONFIG whose home has no kubeconfig, so only what a test passes counts. */
  let bareEnv: Record<string, string>;

  before(async () => {
    target = await spec.start();
    scratch = mkdtempSync(join(tmpdir(), 'kvs-conn-'));
    bareEnv = { HOME: scratch };
  });

  after(async () => {
    await target.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  function rewrite(file: string, edit: (cfg: Record<string, any>) => void): string {
    const cfg = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    edit(cfg);
    const out = join(scratch, `edited-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(out, stringify(cfg));
    return out;
  }

  async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  test('connect: a KUBECONFIG list merges as kubectl does: first current-context and first definition win, missing files ignored', async () => {
    const first = target.kubeconfigFile({ contextName: 'first', namespace: 'ns-a' });
    const second = target.kubeconfigFile({ contextName: 'second', namespace: 'ns-b' });
    // The second file redefines "first" with another namespace: the first file's definition must win.
    const secondWithClash = rewrite(second, (cfg) => {
      cfg.contexts.push({ name: 'first', context: { ...cfg.contexts[0].context, namespace: 'clash' } });
    });
    const env = { ...bareEnv, KUBECONFIG: [join(scratch, 'missing.yaml'), first, secondWithClash].join(delimiter) };
    const c = await connect({ env });
    assert.ok(c.ok, c.ok ? '' : c.error.message);
    assert.equal(c.value.context, 'first');
    assert.equal(c.value.namespace, 'ns-a');
    assert.deepEqual(c.value.sources, [first, secondWithClash]);
    const other = await connect({ env, context: 'second' });
    assert.ok(other.ok, other.ok ? '' : other.error.message);
    assert.equal(other.value.namespace, 'ns-b');
    const list = await listContexts(undefined, env);
    assert.ok(list.ok);
    assert.equal(list.value.current, 'first');
    const names = list.value.contexts.map((x) => x.name);
    assert.equal(new Set(names).size, names.length, 'each context once');
    const ns = new Map(list.value.contexts.map((x) => [x.name, x.namespace]));
    assert.equal(ns.get('first'), 'ns-a');
    assert.equal(ns.get('second'), 'ns-b');
  });

  test('connect: namespace from the option, else the context, else "default"; ~/.kube/config when KUBECONFIG is unset', async () => {
    const file = target.kubeconfigFile({ contextName: 'home', namespace: 'from-context' });
    const noNamespace = rewrite(file, (cfg) => {
      for (const c of cfg.contexts) delete c.context.namespace;
    });
    mkdirSync(join(scratch, '.kube'), { recursive: true });
    writeFileSync(join(scratch, '.kube', 'config'), readFileSync(file));
    const fromHome = await connect({ env: bareEnv });
    assert.ok(fromHome.ok, fromHome.ok ? '' : fromHome.error.message);
    assert.equal(fromHome.value.context, 'home');
    assert.equal(fromHome.value.namespace, 'from-context');
    const explicit = await connect({ env: bareEnv, namespace: 'explicit' });
    assert.ok(explicit.ok);
    assert.equal(explicit.value.namespace, 'explicit');
    const bare = await connect({ kubeconfigPath: noNamespace, env: bareEnv });
    assert.ok(bare.ok);
    assert.equal(bare.value.namespace, 'default');
    rmSync(join(scratch, '.kube'), { recursive: true, force: true });
  });

  test('connect: kubeconfigPath is the only file read; unknown context, missing file and no kubeconfig are typed errors', async () => {
    const only = target.kubeconfigFile({ contextName: 'only' });
    const other = target.kubeconfigFile({ contextName: 'elsewhere' });
    const c = await connect({ kubeconfigPath: only, env: { ...bareEnv, KUBECONFIG: other } });
    assert.ok(c.ok);
    assert.equal(c.value.context, 'only');
    const unknown = await connect({ kubeconfigPath: only, context: 'nope', env: bareEnv });
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.error.kind, 'not-found');
    assert.match(!unknown.ok ? unknown.error.message : '', /context "nope" is not in kubeconfig .*available: only/);
    const missing = await connect({ kubeconfigPath: join(scratch, 'absent.yaml'), env: bareEnv });
    assert.equal(!missing.ok && missing.error.kind, 'not-found');
    const none = await connect({ env: bareEnv });
    assert.equal(!none.ok && none.error.kind, 'not-found');
    assert.match(!none.ok ? none.error.message : '', /no kubeconfig/);
    const garbage = join(scratch, 'garbage.yaml');
    writeFileSync(garbage, 'clusters: [ {');
    const bad = await connect({ kubeconfigPath: garbage, env: bareEnv });
    assert.equal(!bad.ok && bad.error.kind, 'invalid');
  });

  test('errors: rejected credentials are unauthorized (401)', async () => {
    const c = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'bad' }), env: bareEnv });
    assert.equal(c.ok, false);
    assert.equal(!c.ok && c.error.kind, 'unauthorized');
    assert.equal(!c.ok && c.error.status, 401);
  });

  test('errors: a user without rights gets forbidden (403) naming the resource', async (t) => {
    if (needsUser(t, target, 'forbidden')) return;
    const c = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'forbidden' }), env: bareEnv });
    assert.ok(c.ok, c.ok ? '' : c.error.message);
    const r = await c.value.list('v1', 'PersistentVolumeClaim', target.namespace);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'forbidden');
    assert.match(!r.ok ? r.error.message : '', new RegExp(`list persistentvolumeclaims in namespace "${target.namespace}": forbidden`));
  });

  test('errors: a closed port is unreachable, naming the server', async () => {
    const port = await closedPort();
    const file = rewrite(target.kubeconfigFile(), (cfg) => {
      for (const c of cfg.clusters) c.cluster.server = String(c.cluster.server).replace(/:\d+/, `:${port}`);
    });
    const c = await connect({ kubeconfigPath: file, env: bareEnv, timeoutMs: 5000 });
    assert.equal(c.ok, false);
    assert.equal(!c.ok && c.error.kind, 'unreachable');
    assert.match(!c.ok ? c.error.message : '', new RegExp(`cannot reach https?://127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
  });

  test('errors: a server slower than the deadline is a timeout', async (t) => {
    if (emulatorOnly(t, target, 'injects latency')) return;
    const conn = await connect({ kubeconfigPath: target.kubeconfigFile(), env: bareEnv, timeoutMs: 150 });
    assert.ok(conn.ok, conn.ok ? '' : conn.error.message);
    target.emulator!.faults.latency(1000);
    try {
      const started = Date.now();
      const r = await conn.value.get('v1', 'PersistentVolumeClaim', target.namespace, 'anything');
      assert.equal(!r.ok && r.error.kind, 'timeout');
      assert.match(!r.ok ? r.error.message : '', /no answer within 150 ms/);
      assert.ok(Date.now() - started < 900, 'the deadline, not the server, ended the request');
    } finally {
      target.emulator!.faults.reset();
    }
  });

  test('get and list: objects, absence as not-found naming the object, pagination', async () => {
    const c = await connect({ kubeconfigPath: target.kubeconfigFile(), env: bareEnv });
    assert.ok(c.ok, c.ok ? '' : c.error.message);
    const pvc = (name: string) => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: target.namespace, labels: { suite: 'connection' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await target.upsert(...Array.from({ length: 7 }, (_, i) => pvc(`claim-${i}`)));
    const got = await c.value.get('v1', 'PersistentVolumeClaim', target.namespace, 'claim-3');
    assert.ok(got.ok, got.ok ? '' : got.error.message);
    assert.equal(got.value.metadata?.name, 'claim-3');
    const missing = await c.value.get('v1', 'PersistentVolumeClaim', target.namespace, 'no-such-claim');
    assert.equal(!missing.ok && missing.error.kind, 'not-found');
    assert.match(!missing.ok ? missing.error.message : '', new RegExp(`get persistentvolumeclaims "no-such-claim" in namespace "${target.namespace}": not found`));
    const listed = await c.value.list('v1', 'PersistentVolumeClaim', target.namespace, { labelSelector: 'suite=connection', pageSize: 3 });
    assert.ok(listed.ok, listed.ok ? '' : listed.error.message);
    assert.deepEqual(listed.value.items.map((o) => o.metadata?.name).sort(), Array.from({ length: 7 }, (_, i) => `claim-${i}`));
    assert.ok(listed.value.resourceVersion);
    const unknownKind = await c.value.get('snapshot.storage.k8s.io/v1', 'NoSuchKind', target.namespace, 'x');
    assert.equal(!unknownKind.ok && unknownKind.error.kind, 'not-found');
    assert.match(!unknownKind.ok ? unknownKind.error.message : '', /serves snapshot\.storage\.k8s\.io\/v1 but not kind NoSuchKind/);
  });

  test('auth: an exec credential plugin (client-node\'s) runs once for many concurrent requests; its failure is unauthorized', async (t) => {
    // The plugin hands out the admin's bearer token (a cluster whose admin has none cannot run this).
    const adminToken = (parse(readFileSync(target.kubeconfigFile(), 'utf8')) as { users: { user: { token?: string } }[] }).users[0]?.user.token;
    if (!adminToken) {
      process.stderr.write('# skipped: the admin user of this target has no bearer token to hand out\n');
      return void t.skip('the admin user of this target has no bearer token to hand out');
    }
    const log = join(scratch, 'exec.log');
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
      status: { token: adminToken, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() },
    });
    const script = join(scratch, 'plugin.js');
    writeFileSync(script, `require('fs').appendFileSync(${JSON.stringify(log)}, 'run\\n'); process.stdout.write(${JSON.stringify(credential)});`);
    const withExec = (args: string[]) => rewrite(target.kubeconfigFile({ contextName: 'exec' }), (cfg) => {
      cfg.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args, interactiveMode: 'Never' } };
    });
    const c = await connect({ kubeconfigPath: withExec([script]), env: bareEnv });
    assert.ok(c.ok, c.ok ? '' : c.error.message);
    const results = await Promise.all(['PersistentVolumeClaim', 'ConfigMap', 'Service', 'Secret', 'Pod'].map((k) => c.value.list('v1', k, target.namespace)));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.filter((r) => !r.ok)));
    assert.equal(readFileSync(log, 'utf8'), 'run\n', 'one run of the plugin for all requests');
    const failing = join(scratch, 'failing.js');
    writeFileSync(failing, `process.stderr.write('token expired, run: login'); process.exit(1);`);
    const bad = await connect({ kubeconfigPath: withExec([failing]), env: bareEnv });
    assert.equal(!bad.ok && bad.error.kind, 'unauthorized');
    assert.match(!bad.ok ? bad.error.message : '', /cannot get credentials for user "admin": token expired, run: login/);
  });
});

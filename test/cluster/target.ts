/**
 * Where the cluster contract tests run: the API emulator by default, or the real cluster named by
 * KVS_TEST_KUBECONFIG (a kubeconfig file; its current context is used). On a real cluster the tests work in
 * a namespace they create and delete, cluster-scoped objects carry a unique prefix, and the tests that need
 * fault injection are skipped with the reason printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { parse, stringify } from 'yaml';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { objectPath, type KubeObject } from '../../cluster/paths.js';
import { startEmulator } from '../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../emulator/types.js';

export type User = 'admin' | 'readonly' | 'forbidden' | 'bad';

export interface TestTarget {
  readonly kind: 'emulator' | 'cluster';
  readonly emulator?: Emulator;
  /** The namespace the tests use (created, and deleted at close, on a real cluster). */
  readonly namespace: string;
  /** Prefix for cluster-scoped names, unique per run on a real cluster. */
  readonly prefix: string;
  /** The users kubeconfigFile can give (a real cluster has no read-only user; 'forbidden' needs TokenRequest). */
  readonly users: ReadonlySet<User>;
  /** A kubeconfig file for `user` whose current context is `contextName` (default `test`) in `namespace`. */
  kubeconfigFile(opts?: { user?: User; namespace?: string; contextName?: string }): string;
  /** Creates or replaces objects, as an administrator. */
  upsert(...objects: KubeObject[]): Promise<void>;
  /** Merges `status` into the object's status subresource. */
  patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: object): Promise<void>;
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void>;
  /** Whether the target serves an API group (a real cluster may lack CDI or the snapshot CRDs). */
  serves(group: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Skips the test on a real cluster, printing why; returns true when skipped. */
export function emulatorOnly(t: TestContext, target: TestTarget, why: string): boolean {
  if (target.kind === 'emulator') return false;
  const msg = `needs the API emulator: ${why}`;
  process.stderr.write(`# skipped on the real cluster: ${msg}\n`);
  t.skip(msg);
  return true;
}

/** Skips the test when the target cannot act as `user`; returns true when skipped. */
export function needsUser(t: TestContext, target: TestTarget, user: User): boolean {
  if (target.users.has(user)) return false;
  const msg = `the target has no ${user} user`;
  process.stderr.write(`# skipped: ${msg}\n`);
  t.skip(msg);
  return true;
}

/** Skips the test when the target does not serve a group it needs. */
export async function needsGroups(t: TestContext, target: TestTarget, ...groups: string[]): Promise<boolean> {
  for (const g of groups) {
    if (!(await target.serves(g))) {
      const msg = `the cluster does not serve ${g}`;
      process.stderr.write(`# skipped: ${msg}\n`);
      t.skip(msg);
      return true;
    }
  }
  return false;
}

/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startTarget(opts: EmulatorOptions = {}): Promise<TestTarget> {
  const real = process.env.KVS_TEST_KUBECONFIG;
  return real ? realTarget(real) : emulatorTarget(opts);
}

async function emulatorTarget(opts: EmulatorOptions): Promise<TestTarget> {
  const emulator = await startEmulator(opts);
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cluster-test-'));
  let n = 0;
  const namespace = 'kvs-test';
  emulator.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  return {
    kind: 'emulator',
    emulator,
    namespace,
    prefix: 'kvs-test-',
    users: new Set<User>(['admin', 'readonly', 'forbidden', 'bad']),
    kubeconfigFile({ user = 'admin', namespace: ns = namespace, contextName = 'test' } = {}) {
      const file = join(dir, `kubeconfig-${++n}.yaml`);
      writeFileSync(file, emulator.kubeconfig({ user, namespace: ns, contextName }));
      return file;
    },
    async upsert(...objects) {
      for (const o of objects) emulator.store.upsert(o);
    },
    async patchStatus(apiVersion, kind, ns, name, status) {
      emulator.store.patchStatus(apiVersion, kind, ns, name, status);
    },
    async remove(apiVersion, kind, ns, name) {
      emulator.store.delete(apiVersion, kind, ns, name);
    },
    async serves(group) {
      return !(opts.withoutGroups ?? []).includes(group);
    },
    async close() {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pathFields = { clusters: ['certificate-authority'], users: ['client-certificate', 'client-key', 'tokenFile'] } as const;

type KubeconfigYaml = {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
};

async function realTarget(file: string): Promise<TestTarget> {
  const base = parse(readFileSync(file, 'utf8')) as KubeconfigYaml;
  // Relative certificate paths are relative to the original file; the copies live elsewhere.
  for (const c of base.clusters ?? []) for (const f of pathFields.clusters) if (typeof c.cluster[f] === 'string' && !isAbsolute(c.cluster[f] as string)) c.cluster[f] = resolve(dirname(file), c.cluster[f] as string);
  for (const u of base.users ?? []) for (const f of pathFields.users) if (typeof u.user[f] === 'string' && !isAbsolute(u.user[f] as string)) u.user[f] = resolve(dirname(file), u.user[f] as string);
  const admin = await connect({ kubeconfigPath: file });
  if (!admin.ok) throw new Error(`KVS_TEST_KUBECONFIG=${file}: ${admin.error.message}`);
  const conn: ClusterConnection = admin.value;
  const current = base.contexts?.find((c) => c.name === conn.context);
  if (!current) throw new Error(`KVS_TEST_KUBECONFIG=${file}: context ${conn.context} not found`);
  const run = Math.random().toString(36).slice(2, 8);
  const namespace = `kvs-test-${run}`;
  const prefix = `kvs-test-${run}-`;
  const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  await must(conn.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }], { fieldManager: 'kvs-test', force: true }));
  await must(conn.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kvs-forbidden', namespace } }], { fieldManager: 'kvs-test', force: true }));
  // A user with no rights at all: a fresh service account's token (TokenRequest, Kubernetes 1.22+).
  const tokenRes = await conn.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/kvs-forbidden/token`,
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }),
    what: 'request a token for the test service account',
  });
  const forbiddenToken = tokenRes.ok ? (JSON.parse(tokenRes.value.text) as { status: { token: string } }).status.token : undefined;
  const users = new Set<User>(forbiddenToken ? ['admin', 'bad', 'forbidden'] : ['admin', 'bad']);
  const cleanup: (() => Promise<unknown>)[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cluster-test-'));
  let n = 0;
  const groups = new Map<string, boolean>();
  return {
    kind: 'cluster',
    namespace,
    prefix,
    users,
    kubeconfigFile({ user = 'admin', namespace: ns = namespace, contextName = 'test' } = {}) {
      if (!users.has(user)) throw new Error(`no ${user} user on this cluster (see needsUser)`);
      const cfg: KubeconfigYaml = structuredClone(base);
      const userName = user === 'admin' ? current.context.user : `kvs-${user}`;
      if (user !== 'admin') cfg.users = [...(cfg.users ?? []), { name: userName, user: { token: user === 'bad' ? 'not-a-valid-token' : forbiddenToken } }];
      cfg.contexts = [{ name: contextName, context: { cluster: current.context.cluster, user: userName, namespace: ns } }, ...(cfg.contexts ?? []).filter((c) => c.name !== contextName)];
      cfg['current-context'] = contextName;
      const out = join(dir, `kubeconfig-${++n}.yaml`);
      writeFileSync(out, stringify(cfg));
      return out;
    },
    async upsert(...objects) {
      for (const o of objects) {
        await must(conn.apply([o], { fieldManager: 'kvs-test', force: true }));
        const { apiVersion, kind } = o;
        const name = o.metadata?.name ?? '';
        const ns = o.metadata?.namespace;
        if (!ns) cleanup.push(() => conn.remove([{ apiVersion, kind, metadata: { name } }]));
      }
    },
    async patchStatus(apiVersion, kind, ns, name, status) {
      const r = await must(conn.resource(apiVersion, kind));
      await must(conn.request({
        method: 'PATCH',
        path: `${objectPath(r, ns, name)}/status`,
        body: JSON.stringify({ status }),
        contentType: 'application/merge-patch+json',
        what: `patch the status of ${kind} ${name}`,
      }));
    },
    async remove(apiVersion, kind, ns, name) {
      await must(conn.remove([{ apiVersion, kind, metadata: { name, namespace: ns } }]));
    },
    async serves(group) {
      if (!groups.has(group)) {
        const r = await conn.request({ method: 'GET', path: `/apis/${group}`, what: `discover ${group}` });
        groups.set(group, r.ok);
      }
      return groups.get(group)!;
    },
    async close() {
      for (const c of cleanup.reverse()) await c();
      await conn.remove([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the cluster-facing tests run: the same test code against each enabled target (test/apiserver/README.md).
 * - `emulator`: the API emulator (test/emulator), always; the only one with fault injection and request logs.
 * - `apiserver`: a real kube-apiserver on an embedded etcd (test/apiserver), a fresh one per `start()`, when
 *   KVS_TEST_APISERVER=1 (`npm run test:apiserver` sets it).
 * - `cluster`: the real cluster named by KVS_TEST_KUBECONFIG (its current context); the tests work in a namespace
 *   they create and delete, and cluster-scoped objects carry a unique prefix.
 * KVS_TEST_TARGETS=emulator,apiserver (a comma list) keeps only those of the enabled targets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext } from 'node:test';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import type { KubeObject } from '../../cluster/paths.js';
import { startEmulator } from '../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../emulator/types.js';
import { startApiserverTarget } from './apiserverTarget.js';
import { startClusterTarget } from './realTarget.js';

/** `readonly` may get, list and watch everything (the API server's restricted user); `forbidden` nothing; `bad` is rejected. */
export type User = 'admin' | 'readonly' | 'forbidden' | 'bad';
export type TargetKind = 'emulator' | 'apiserver' | 'cluster';

/**
 * What a test may ask of a target. On the API server only `withoutGroups` applies (the CRDs of those groups are
 * not installed); the emulator takes every EmulatorOptions; a real cluster takes none.
 */
export type TargetOptions = EmulatorOptions;

export interface TestTarget {
  readonly kind: TargetKind;
  /** Set on the emulator only: its store, faults, request and webhook-call logs. */
  readonly emulator?: Emulator;
  /** The API server's URL (the kubeconfigs' `server`). */
  readonly url: string;
  /** Whether faults can be injected (failures, latency, dropped watches, expired resourceVersions). */
  readonly supportsFaults: boolean;
  /** The namespace the tests use (it exists; on a real cluster it is created, and deleted at close). */
  readonly namespace: string;
  /** Prefix for cluster-scoped names, unique per run on a real cluster. */
  readonly prefix: string;
  /** The users kubeconfigFile can give. */
  readonly users: ReadonlySet<User>;
  /** A kubeconfig file for `user` whose current context is `contextName` (default `test`) in `namespace`. */
  kubeconfigFile(opts?: { user?: User; namespace?: string; contextName?: string }): string;
  /** The admin and restricted (read-only) users' kubeconfigs, as kubeconfigFile gives them. */
  readonly kubeconfigs: { readonly admin: string; readonly restricted?: string };
  /**
   * Creates or replaces objects as an administrator, in order: a missing namespace is created first, and an
   * object's `status` is written through the status subresource afterwards (a real server drops it on create).
   */
  seed(...objects: KubeObject[]): Promise<void>;
  /** The same as seed. */
  upsert(...objects: KubeObject[]): Promise<void>;
  /** Writes `obj.status` (a JSON merge patch into the status of the object `obj` names). */
  setStatus(obj: KubeObject): Promise<void>;
  /** Merges `status` into the object's status subresource. */
  patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: object): Promise<void>;
  /** Deletes an object and waits until it is gone (finalizers that controllers would remove included). */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void>;
  /**
   * Makes `service` (namespace/name, port `port`) lead to a server of the test process on 127.0.0.1:`localPort`,
   * as a webhook's `clientConfig.service` does in a cluster. The server's certificate must name
   * `<name>.<namespace>.svc`. Emulator: its service registry; API server: an EndpointSlice for the Service.
   */
  routeService(namespace: string, name: string, port: number, localPort: number): Promise<void>;
  /** Whether the target serves an API group (a real cluster may lack CDI or the snapshot CRDs). */
  serves(group: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface TargetSpec {
  readonly kind: TargetKind;
  /** A new target of this kind: a fresh emulator or API server, or a fresh namespace on the real cluster. */
  start(opts?: TargetOptions): Promise<TestTarget>;
}

const all: TargetSpec[] = [
  { kind: 'emulator', start: startEmulatorTarget },
  { kind: 'apiserver', start: startApiserverTarget },
  { kind: 'cluster', start: (opts) => startClusterTarget(process.env.KVS_TEST_KUBECONFIG ?? '', opts) },
];

/** The enabled targets, the emulator first. */
export function targets(env: NodeJS.ProcessEnv = process.env): TargetSpec[] {
  const enabled = new Set<TargetKind>(['emulator']);
  if (env.KVS_TEST_APISERVER === '1') enabled.add('apiserver');
  if (env.KVS_TEST_KUBECONFIG) enabled.add('cluster');
  const only = env.KVS_TEST_TARGETS?.split(',').map((s) => s.trim()).filter(Boolean);
  return all.filter((t) => enabled.has(t.kind) && (!only || only.includes(t.kind)));
}

/**
 * `describe(title [kind], ...)` once per enabled target. With `except`, the suite is skipped on those kinds,
 * saying why (e.g. a suite that needs a cluster holding nothing but what it seeds cannot run on a real one).
 */
export function describeTargets(title: string, body: (spec: TargetSpec) => void, except?: { kinds: TargetKind[]; why: string }): void {
  for (const spec of targets()) {
    const name = `${title} [${spec.kind}]`;
    if (except?.kinds.includes(spec.kind)) {
      process.stderr.write(`# skipped: ${name}: ${except.why}\n`);
      describe(name, { skip: except.why }, () => {});
    } else describe(name, () => body(spec));
  }
}

/** The first enabled target (for a test that needs one target, whichever). */
export function startTarget(opts: TargetOptions = {}): Promise<TestTarget> {
  return targets()[0]!.start(opts);
}

function skip(t: TestContext, msg: string): true {
  process.stderr.write(`# skipped: ${msg}\n`);
  t.skip(msg);
  return true;
}

/** Skips the test on every target but the emulator, printing why; returns true when skipped. */
export function emulatorOnly(t: TestContext, target: TestTarget, why: string): boolean {
  return target.kind !== 'emulator' && skip(t, `needs the API emulator (${target.kind} cannot): ${why}`);
}

/** Skips the test on the emulator, for a departure its README lists (test/emulator/README.md); returns true when skipped. */
export function realServerOnly(t: TestContext, target: TestTarget, what: string): boolean {
  return target.kind === 'emulator' && skip(t, `the emulator departs here (test/emulator/README.md): ${what}`);
}

/** Skips the test when the target cannot act as `user`; returns true when skipped. */
export function needsUser(t: TestContext, target: TestTarget, user: User): boolean {
  return !target.users.has(user) && skip(t, `the ${target.kind} target has no ${user} user`);
}

/** Skips the test when the target does not serve a group it needs. */
export async function needsGroups(t: TestContext, target: TestTarget, ...groups: string[]): Promise<boolean> {
  for (const g of groups) if (!(await target.serves(g))) return skip(t, `the ${target.kind} target does not serve ${g}`);
  return false;
}

/** The project's own cluster connection to the target as admin (in `namespace`, default the target's). */
export async function connectAdmin(target: TestTarget, namespace = target.namespace): Promise<ClusterConnection> {
  const c = await connect({ kubeconfigPath: target.kubeconfigFile({ namespace }), env: {} });
  if (!c.ok) throw new Error(`connect to the ${target.kind} target: ${c.error.message}`);
  return c.value;
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

async function startEmulatorTarget(opts: TargetOptions = {}): Promise<TestTarget> {
  const emulator = await startEmulator(opts);
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cluster-test-'));
  let n = 0;
  const namespace = 'kvs-test';
  emulator.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const kubeconfigFile: TestTarget['kubeconfigFile'] = ({ user = 'admin', namespace: ns = namespace, contextName = 'test' } = {}) => {
    const file = join(dir, `kubeconfig-${++n}.yaml`);
    writeFileSync(file, emulator.kubeconfig({ user, namespace: ns, contextName }));
    return file;
  };
  const seed = async (...objects: KubeObject[]): Promise<void> => {
    for (const o of objects) emulator.store.upsert(o);
  };
  return {
    kind: 'emulator',
    emulator,
    url: emulator.url,
    supportsFaults: true,
    namespace,
    prefix: 'kvs-test-',
    users: new Set<User>(['admin', 'readonly', 'forbidden', 'bad']),
    kubeconfigFile,
    kubeconfigs: { admin: kubeconfigFile(), restricted: kubeconfigFile({ user: 'readonly' }) },
    seed,
    upsert: seed,
    async setStatus(o) {
      emulator.store.patchStatus(o.apiVersion ?? '', o.kind ?? '', o.metadata?.namespace, o.metadata?.name ?? '', (o as { status?: object }).status ?? {});
    },
    async patchStatus(apiVersion, kind, ns, name, status) {
      emulator.store.patchStatus(apiVersion, kind, ns, name, status);
    },
    async remove(apiVersion, kind, ns, name) {
      emulator.store.delete(apiVersion, kind, ns, name);
    },
    async routeService(ns, name, port, localPort) {
      emulator.services.register(ns, name, port, `https://127.0.0.1:${localPort}`);
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

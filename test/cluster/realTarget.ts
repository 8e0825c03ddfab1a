/**
 * A target behind a kubeconfig: a real cluster (KVS_TEST_KUBECONFIG) or the test API server. Writes go through
 * the project's own cluster code as an administrator (server-side apply under the `kvs-test` manager).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { objectPath, type KubeObject } from '../../cluster/paths.js';
import type { TargetKind, TargetOptions, TestTarget, User } from './target.js';

type KubeconfigYaml = {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
};

const pathFields = { clusters: ['certificate-authority'], users: ['client-certificate', 'client-key', 'tokenFile'] } as const;

export interface KubeconfigTargetOptions {
  kind: TargetKind;
  /** The namespace to use; a fresh `kvs-test-<random>` when absent. */
  namespace?: string;
  prefix?: string;
  /** Bearer tokens of the other users (e.g. the API server's restricted user as `readonly`). */
  tokens?: Partial<Record<User, string>>;
  /** The groups the target leaves out (only to answer `serves` without asking). */
  withoutGroups?: string[];
  /** Runs after the target's own cleanup. */
  onClose?: () => Promise<void>;
}

/** Waits at most this long for a deleted object to go (controllers removing finalizers). */
const goneWithinMs = 30_000;

export async function startClusterTarget(file: string, opts: TargetOptions = {}): Promise<TestTarget> {
  if (Object.keys(opts).length > 0) throw new Error(`a real cluster takes no target options (got ${Object.keys(opts).join(', ')}): use emulatorOnly`);
  return kubeconfigTarget(file, { kind: 'cluster' });
}

export async function kubeconfigTarget(file: string, o: KubeconfigTargetOptions): Promise<TestTarget> {
  const base = parse(readFileSync(file, 'utf8')) as KubeconfigYaml;
  // Relative certificate paths are relative to the original file; the copies live elsewhere.
  for (const c of base.clusters ?? []) for (const f of pathFields.clusters) if (typeof c.cluster[f] === 'string' && !isAbsolute(c.cluster[f] as string)) c.cluster[f] = resolve(dirname(file), c.cluster[f] as string);
  for (const u of base.users ?? []) for (const f of pathFields.users) if (typeof u.user[f] === 'string' && !isAbsolute(u.user[f] as string)) u.user[f] = resolve(dirname(file), u.user[f] as string);
  const admin = await connect({ kubeconfigPath: file, env: {} });
  if (!admin.ok) throw new Error(`${file}: ${admin.error.message}`);
  const conn: ClusterConnection = admin.value;
  const current = base.contexts?.find((c) => c.name === conn.context);
  if (!current) throw new Error(`${file}: context ${conn.context} not found`);
  const adminUser = base.users?.find((u) => u.name === current.context.user)?.user ?? {};
  const run = Math.random().toString(36).slice(2, 8);
  const namespace = o.namespace ?? `kvs-test-${run}`;
  const prefix = o.prefix ?? `kvs-test-${run}-`;
  const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const namespaces = new Set<string>();
  const ensureNamespace = async (ns: string): Promise<void> => {
    if (namespaces.has(ns)) return;
    await must(conn.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }], { fieldManager: 'kvs-test', force: true }));
    namespaces.add(ns);
  };
  await ensureNamespace(namespace);
  const tokens: Partial<Record<User, string>> = { bad: 'not-a-valid-token', ...o.tokens };
  if (!tokens.forbidden) {
    // A user with no rights at all: a fresh service account's token (TokenRequest, Kubernetes 1.22+).
    await must(conn.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kvs-forbidden', namespace } }], { fieldManager: 'kvs-test', force: true }));
    const r = await conn.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/kvs-forbidden/token`,
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }),
      what: 'request a token for the test service account',
    });
    if (r.ok) tokens.forbidden = (JSON.parse(r.value.text) as { status: { token: string } }).status.token;
  }
  const users = new Set<User>(['admin', ...(Object.keys(tokens) as User[])]);
  const cleanup: (() => Promise<unknown>)[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cluster-test-'));
  let n = 0;
  const groups = new Map<string, boolean>();

  const kubeconfigFile: TestTarget['kubeconfigFile'] = ({ user = 'admin', namespace: ns = namespace, contextName = 'test' } = {}) => {
    if (!users.has(user)) throw new Error(`no ${user} user on the ${o.kind} target (see needsUser)`);
    const cfg: KubeconfigYaml = structuredClone(base);
    // The user entry is named as the emulator names it (messages quote it).
    cfg.users = [{ name: user, user: user === 'admin' ? adminUser : { token: tokens[user] } }, ...(cfg.users ?? []).filter((u) => u.name !== user)];
    cfg.contexts = [{ name: contextName, context: { cluster: current.context.cluster, user, namespace: ns } }, ...(cfg.contexts ?? []).filter((c) => c.name !== contextName)];
    cfg['current-context'] = contextName;
    const out = join(dir, `kubeconfig-${++n}.yaml`);
    writeFileSync(out, stringify(cfg));
    return out;
  };
  const patchStatus: TestTarget['patchStatus'] = async (apiVersion, kind, ns, name, status) => {
    const r = await must(conn.resource(apiVersion, kind));
    await must(conn.request({
      method: 'PATCH',
      path: `${objectPath(r, ns, name)}/status`,
      body: JSON.stringify({ status }),
      contentType: 'application/merge-patch+json',
      what: `patch the status of ${kind} ${name}`,
    }));
  };
  const seedOne = async (obj: KubeObject): Promise<void> => {
    const { status, ...rest } = obj as KubeObject & { status?: object };
    const meta = { ...(rest.metadata ?? {}) };
    delete meta.managedFields; // the server keeps its own
    const ns = meta.namespace;
    if (ns) await ensureNamespace(ns);
    await must(conn.apply([{ ...rest, metadata: meta }], { fieldManager: 'kvs-test', force: true }));
    if (status && Object.keys(status).length > 0) await patchStatus(obj.apiVersion ?? '', obj.kind ?? '', ns, meta.name ?? '', status);
    if (!ns && o.kind === 'cluster') cleanup.push(() => conn.remove([{ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: meta.name } }]));
  };
  const seed = async (...objects: KubeObject[]): Promise<void> => {
    // Namespaces first, then the objects a few at a time (a thousand snapshots should not take a minute).
    for (const ns of new Set(objects.map((x) => x.metadata?.namespace).filter((x): x is string => !!x))) await ensureNamespace(ns);
    for (let i = 0; i < objects.length; i += 16) await Promise.all(objects.slice(i, i + 16).map(seedOne));
  };
  return {
    kind: o.kind,
    url: String(base.clusters?.find((c) => c.name === current.context.cluster)?.cluster['server'] ?? ''),
    supportsFaults: false,
    namespace,
    prefix,
    users,
    kubeconfigFile,
    kubeconfigs: { admin: kubeconfigFile(), ...(users.has('readonly') ? { restricted: kubeconfigFile({ user: 'readonly' }) } : {}) },
    seed,
    upsert: seed,
    async setStatus(obj) {
      await patchStatus(obj.apiVersion ?? '', obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? '', (obj as { status?: object }).status ?? {});
    },
    patchStatus,
    async remove(apiVersion, kind, ns, name) {
      await must(conn.remove([{ apiVersion, kind, metadata: { name, namespace: ns } }]));
      const deadline = Date.now() + goneWithinMs;
      for (;;) {
        const r = await conn.get(apiVersion, kind, ns, name);
        if (!r.ok && r.error.kind === 'not-found') return;
        if (Date.now() > deadline) throw new Error(`${kind} ${ns ? `${ns}/` : ''}${name} is still there ${goneWithinMs} ms after its deletion`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    async routeService(ns, name, _port, localPort) {
      if (o.kind !== 'apiserver') throw new Error('routeService needs the emulator or the test API server: a cluster cannot reach the test process');
      // The test API server dials 127.0.0.1 at the port of a ready endpoint (test/apiserver/resolver.go); the
      // address is a placeholder from TEST-NET-1 (RFC 5737), since kube-apiserver refuses loopback endpoints.
      // Applied as it is, without seed's namespace creation: the namespace may be the code under test's.
      await must(conn.apply([{
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${name}-test-process`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['192.0.2.1'], conditions: { ready: true } }],
        // One port: the resolver takes it for whichever port of the Service (`port` only matters to the emulator).
        ports: [{ port: localPort, protocol: 'TCP' }],
      } as KubeObject], { fieldManager: 'kvs-test', force: true }));
    },
    async serves(group) {
      if (o.withoutGroups?.includes(group)) return false;
      if (!groups.has(group)) {
        const r = await conn.request({ method: 'GET', path: `/apis/${group}`, what: `discover ${group}` });
        groups.set(group, r.ok);
      }
      return groups.get(group)!;
    },
    async close() {
      for (const c of cleanup.reverse()) await c();
      if (o.kind === 'cluster') for (const ns of namespaces) await conn.remove([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
      rmSync(dir, { recursive: true, force: true });
      await o.onClose?.();
    },
  };
}

// The restore-size webhook's operations (cluster/ops/webhook over the engine) against the API emulator, and the
// deploy-to-uninstall suite against the real API server of test/apiserver too (the same code, two targets): the
// plan's TLS mode and namespace follow what the cluster serves; the dry run stores nothing; apply dry-runs
// first, puts the configuration after the rollout (the test plays the deployment controller by writing the
// Deployment's status) and verifies through real HTTPS admission; a second deploy changes nothing; status;
// rotation and its undo; uninstall leaves nothing labelled behind; undo of the deploy; 403s, cancellation and
// a write refused at each step report exactly what was applied and leave a state that apply and undo handle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { applyPlan, dryRun, type EngineOptions } from '../../cluster/ops/engine.js';
import { operation } from '../../cluster/ops/registry.js';
import { undoRuns } from '../../cluster/ops/undo.js';
import { DEPLOYED_KINDS, webhookStatus } from '../../cluster/ops/webhook/status.js';
import { DEFAULT_WEBHOOK_NAME, WEBHOOK_LABELS } from '../../core/ops/webhook/manifests.js';
import type { Plan, OptionValues } from '../../core/ops/types.js';
import { createWebhookServer, type WebhookServer } from '../../webhook/server.js';
import { MemorySnapshotSource } from '../../webhook/snapshotSource.js';
import type { KubeObject } from '../../cluster/paths.js';
import { connectAdmin, describeTargets, waitFor, type TestTarget } from '../cluster/target.js';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorUser } from '../emulator/index.js';
import { captureLog, playDeploymentController, snapshot } from './helpers.js';

const NAME = DEFAULT_WEBHOOK_NAME;
const JOURNAL = 'kvs-journal';
const dirs: string[] = [];

async function open(emu: Emulator, user: EmulatorUser = 'admin'): Promise<ClusterConnection> {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-deploy-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config'), emu.kubeconfig({ user, namespace: 'vms' }));
  const c = await connect({ kubeconfigPath: join(dir, 'config'), env: {} });
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

async function plan(conn: ClusterConnection, options: OptionValues = {}, cdiVersion?: string, id = 'webhook'): Promise<{ plan: Plan; questions: string[] }> {
  const r = await operation(id)!.plan(conn, options, { now: new Date(), ...(cdiVersion ? { cdiVersion: { version: cdiVersion, source: 'test' } } : {}) });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return { plan: r.plan, questions: (r.questions ?? []).flatMap((q) => q.choices.map((c) => c.value)) };
}

/** The plan with short waits, for tests that play the controllers at once. */
function quick(p: Plan, rolloutSeconds = 20, verifySeconds = 5): Plan {
  return {
    ...p,
    phases: p.phases.map((ph) => ({ ...ph, waits: ph.waits?.map((w) => ({ ...w, timeoutSeconds: rolloutSeconds })) })),
    checks: p.checks.map((c) => (c.kind === 'dryRunCreate' ? { ...c, retrySeconds: verifySeconds } : c)),
  };
}

function recorder(signal?: AbortSignal): EngineOptions & { seen: { stage: string; message: string }[] } {
  const seen: { stage: string; message: string }[] = [];
  return { seen, journalNamespace: JOURNAL, ...(signal ? { signal } : {}), progress: (p) => seen.push(p) };
}

const rollingOut = (emu: Emulator, namespace: string): { stop(): void } => playDeploymentController(emu, namespace, NAME);

const isOurs = (o: object): boolean => {
  const labels = (o as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
  return Object.entries(WEBHOOK_LABELS).every(([k, v]) => labels[k] === v);
};
/** Every labelled object in the emulator, with its resourceVersion. */
function labelled(emu: Emulator): Map<string, string> {
  const out = new Map<string, string>();
  for (const [apiVersion, kind] of DEPLOYED_KINDS) {
    let objects: object[] = [];
    try {
      objects = emu.store.list(apiVersion, kind);
    } catch {
      continue; // a kind the emulator does not serve (cert-manager left out)
    }
    for (const o of objects as { metadata: { namespace?: string; name: string; resourceVersion: string } }[]) {
      if (isOurs(o)) out.set(`${kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion);
    }
  }
  return out;
}

const secretText = (p: Plan, name: string, key: string): string => {
  for (const ph of p.phases) {
    for (const w of ph.writes) {
      if (w.action === 'apply' && w.object.kind === 'Secret' && w.object.metadata.name === name) return Buffer.from((w.object['data'] as Record<string, string>)[key] ?? '', 'base64').toString('utf8');
    }
  }
  return '';
};
const kindsOf = (p: Plan): string[] => p.phases.flatMap((ph) => ph.writes.map((w) => (w.action === 'apply' ? w.object.kind : w.action)));

after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('webhook plan: the TLS mode and namespace follow what the cluster serves', () => {
  const withEmulator = async (opts: EmulatorOptions, check: (emu: Emulator, conn: ClusterConnection) => Promise<void>): Promise<void> => {
    const emu = await startEmulator(opts);
    const conn = await open(emu);
    try {
      await check(emu, conn);
    } finally {
      conn.dispose();
      await emu.close();
    }
  };

  test("cert-manager served: cert-manager; CDI's PVC webhook present: its namespace; both TLS choices offered", () =>
    withEmulator({}, async (emu, conn) => {
      emu.store.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'cdi-api-pvc-mutate' }, webhooks: [{ name: 'pvc-mutate.cdi.kubevirt.io', clientConfig: { service: { name: 'cdi-api', namespace: 'cdi-system' } } }] });
      const { plan: p, questions } = await plan(conn, {}, 'v1.63.1');
      assert.equal(p.target.namespace, 'cdi-system');
      assert.match(p.title, /namespace cdi-system \(cert-manager TLS\)/);
      assert.deepEqual(p.phases.map((ph) => ph.id), ['namespace', 'access', 'tls', 'workload', 'configuration']);
      assert.deepEqual(kindsOf(p), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Issuer', 'Certificate', 'Issuer', 'Certificate', 'Service', 'Deployment', 'PodDisruptionBudget', 'MutatingWebhookConfiguration']);
      assert.deepEqual(p.phases.find((ph) => ph.id === 'workload')!.waits!.map((w) => w.kind), ['rollout']);
      assert.equal(p.advice, undefined);
      assert.deepEqual(questions, ['cert-manager', 'self-signed']);
    }));

  test('neither OpenShift nor cert-manager: self-signed, the CA key kept out of the cluster unless asked; CDI v1.64 needs no webhook (advice)', () =>
    withEmulator({ withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'] }, async (_emu, conn) => {
      const { plan: p, questions } = await plan(conn, {}, 'v1.64.0');
      assert.equal(p.target.namespace, 'kubevirt-storage');
      assert.match(p.advice ?? '', /no longer inflates PVCs restored from VolumeSnapshots .* nothing to correct/);
      assert.ok(kindsOf(p).includes('Secret'));
      assert.doesNotMatch(JSON.stringify(p.phases), new RegExp(`"name":"${NAME}-ca"`), 'no CA Secret by default');
      assert.ok(p.notes.some((n) => /The CA key is not stored in the cluster/.test(n)));
      // Asked to keep it: in a namespace of its own, with a Role for exactly that Secret.
      const { plan: kept } = await plan(conn, { 'ca-key': 'cluster' }, 'v1.64.0');
      const writes = kept.phases.flatMap((ph) => ph.writes).flatMap((w) => (w.action === 'apply' ? [w.object] : []));
      const caSecret = writes.find((o) => o.kind === 'Secret' && o.metadata.name === `${NAME}-ca`);
      assert.equal(caSecret?.metadata.namespace, `${NAME}-ca`);
      assert.match(secretText(kept, `${NAME}-ca`, 'ca.key'), /BEGIN PRIVATE KEY/);
      assert.ok(writes.some((o) => o.kind === 'Namespace' && o.metadata.name === `${NAME}-ca`), 'its namespace is created');
      const role = writes.find((o) => o.kind === 'Role') as unknown as { metadata: { namespace: string }; rules: { resourceNames: string[]; verbs: string[] }[] };
      assert.deepEqual([role.metadata.namespace, role.rules[0]!.resourceNames, role.rules[0]!.verbs], [`${NAME}-ca`, [`${NAME}-ca`], ['get', 'update', 'patch']]);
      assert.match(secretText(p, `${NAME}-certs`, 'tls.key'), /BEGIN PRIVATE KEY/, 'the plan holds the real key');
      assert.deepEqual(questions, [], 'only one TLS mode is possible: nothing to ask');
      assert.equal(p.checks[0]!.kind, 'skipped', 'no snapshot to verify with');
      const r = await operation('webhook')!.plan(conn, { tls: 'cert-manager' }, { now: new Date() });
      assert.deepEqual(r, { ok: false, message: 'cert-manager is not installed: the cluster does not serve cert-manager.io/v1 Issuers and Certificates.' });
    }));

  test("CDI served but its PVC webhook absent: no guessed namespace, and advice that nothing inflates", () =>
    withEmulator({ withoutGroups: ['cert-manager.io'] }, async (_emu, conn) => {
      const { plan: p } = await plan(conn, {}, 'v1.63.1');
      assert.equal(p.target.namespace, 'kubevirt-storage', 'not "cdi"');
      assert.match(p.advice ?? '', /cdi-api-pvc-mutate\) is not configured on this cluster .* nothing inflates restore PVCs/);
    }));

  test('a CA key an earlier deploy left in the webhook namespace is deleted there (undo recreates it) and signs the new certificate', () =>
    withEmulator({ withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'] }, async (emu, conn) => {
      const { generateSelfSignedTls } = await import('../../core/ops/webhook/selfSigned.js');
      const old = await generateSelfSignedTls({ dnsNames: ['x'], now: new Date(), crypto: globalThis.crypto });
      const b64 = (t: string) => Buffer.from(t).toString('base64');
      emu.store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${NAME}-ca`, namespace: 'kubevirt-storage', labels: { ...WEBHOOK_LABELS } }, data: { 'ca.crt': b64(old.caCertificatePem), 'ca.key': b64(old.caPrivateKeyPem) } });
      const { plan: p } = await plan(conn, {}, 'v1.63.1');
      const del = p.phases.flatMap((ph) => ph.writes).find((w) => w.action === 'delete');
      assert.deepEqual(del, { action: 'delete', target: { apiVersion: 'v1', kind: 'Secret', namespace: 'kubevirt-storage', name: `${NAME}-ca` }, undo: { kind: 'recreate' } });
      assert.ok(p.notes.some((n) => /An earlier deploy kept the CA key in Secret kubevirt-storage\/kubevirt-storage-restore-size-ca, next to the webhook: the deploy deletes it there\./.test(n)));
      assert.match(p.notes.join(' '), /signed by the existing CA in Secret kubevirt-storage\/kubevirt-storage-restore-size-ca/);
    }));

  test("the NetworkPolicy's peers come from the kubernetes Service's EndpointSlice and konnectivity agents; --network-policy none leaves it out", () =>
    withEmulator({ withoutGroups: ['cert-manager.io'] }, async (emu, conn) => {
      emu.store.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'] }, { addresses: ['172.18.0.3'] }] });
      emu.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'konnectivity-agent-x', namespace: 'kube-system', labels: { 'k8s-app': 'konnectivity-agent' } }, spec: { containers: [{ name: 'a', image: 'a' }] } });
      const { plan: p } = await plan(conn, { 'api-server-cidr': '10.9.0.0/16' });
      const policy = p.phases.flatMap((ph) => ph.writes).find((w) => w.action === 'apply' && w.object.kind === 'NetworkPolicy');
      assert.ok(policy && policy.action === 'apply');
      const from = (policy.object as unknown as { spec: { ingress: { from: object[] }[] } }).spec.ingress[0]!.from;
      assert.deepEqual(from.slice(0, 3), [{ ipBlock: { cidr: '10.9.0.0/16' } }, { ipBlock: { cidr: '172.18.0.2/32' } }, { ipBlock: { cidr: '172.18.0.3/32' } }]);
      assert.equal(from.length, 4, 'and the konnectivity agents');
      assert.ok(p.notes.some((n) => /as given; the kubernetes Service's endpoints; konnectivity agents found in kube-system/.test(n)));
      const { plan: without } = await plan(conn, { 'network-policy': 'none' });
      assert.ok(!kindsOf(without).includes('NetworkPolicy'));
      const bad = await operation('webhook')!.plan(conn, { 'api-server-cidr': 'not-an-ip' }, { now: new Date() });
      assert.deepEqual(bad, { ok: false, message: '--api-server-cidr "not-an-ip" is not an IP address or CIDR.' });
    }));

  test('OpenShift API groups served: service-ca', () =>
    withEmulator({ resources: [{ group: 'route.openshift.io', version: 'v1', kind: 'Route', plural: 'routes', namespaced: true }] }, async (_emu, conn) => {
      const { plan: p } = await plan(conn, { namespace: 'openshift-cnv' });
      assert.match(p.title, /service-ca TLS/);
      const service = p.phases.flatMap((ph) => ph.writes).find((w) => w.action === 'apply' && w.object.kind === 'Service');
      assert.match(JSON.stringify(service), /service\.beta\.openshift\.io\/serving-cert-secret-name/);
    }));
});

/** Every labelled object the target holds, with its resourceVersion (a Namespace being finalized counts as gone). */
async function labelledOn(conn: ClusterConnection): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [apiVersion, kind] of DEPLOYED_KINDS) {
    const r = await conn.list<{ metadata: { namespace?: string; name: string; resourceVersion: string; labels?: Record<string, string>; deletionTimestamp?: string } }>(apiVersion, kind);
    if (!r.ok) continue; // a kind the target does not serve (cert-manager left out)
    for (const o of r.value.items) if (isOurs(o) && !o.metadata.deletionTimestamp) out.set(`${kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion);
  }
  return out;
}

/**
 * Plays the controllers a cluster would run for the deployed webhook: the deployment controller (the
 * Deployment's status follows its generation, all replicas ready) and, once the Deployment exists, the endpoint
 * controller (the Service leads to the test's webhook server, through target.routeService).
 */
function playControllers(target: TestTarget, conn: ClusterConnection, namespace: string, port: () => number | undefined): { stop(): Promise<void> } {
  let stopped = false;
  let routed = false;
  const loop = (async () => {
    while (!stopped) {
      const d = await conn.get<{ metadata: { generation: number }; spec: { replicas?: number }; status?: { observedGeneration?: number } }>('apps/v1', 'Deployment', namespace, NAME);
      if (d.ok && d.value.status?.observedGeneration !== d.value.metadata.generation) {
        const n = d.value.spec.replicas ?? 1;
        await target.patchStatus('apps/v1', 'Deployment', namespace, NAME, { observedGeneration: d.value.metadata.generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n }).catch(() => undefined);
      }
      const p = port();
      if (d.ok && !routed && p !== undefined) {
        await target.routeService(namespace, NAME, 443, p);
        routed = true;
      }
      if (!d.ok) routed = false; // deleted (undo, uninstall): route again when it is back
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { stop: async () => ((stopped = true), await loop) };
}

describeTargets('webhook: deploy, redeploy, status, rotate, undo, uninstall (self-signed)', (spec) => {
  const ns = 'kvs-system';
  let target: TestTarget;
  let conn: ClusterConnection;
  let server: WebhookServer | undefined;
  let port: number | undefined;
  let first: Plan;
  let controllers: { stop(): Promise<void> };
  const requests = (): { method: string; path: string; query: string }[] => target.emulator?.requests ?? [];
  const clearRequests = (): void => void (target.emulator && (target.emulator.requests.length = 0));
  const count = async (apiVersion: string, kind: string, namespace?: string): Promise<number> => {
    const r = await conn.list(apiVersion, kind, namespace);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value.items.length;
  };

  before(async () => {
    target = await spec.start({ withoutGroups: ['cert-manager.io'] });
    // With a spec.source, which a real server's CRD schema requires.
    await target.seed({ ...(snapshot('vms', 'tpm-snap', '20Mi') as KubeObject), spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm1' } } });
    conn = await connectAdmin(target, 'vms');
    controllers = playControllers(target, conn, ns, () => port);
  });
  after(async () => {
    await controllers?.stop();
    await server?.shutdown(1000);
    conn?.dispose();
    await target?.close();
  });

  test('the dry run reports every write, defers those in the namespace it creates, and stores nothing', async () => {
    first = quick((await plan(conn, { namespace: ns, 'ca-key': 'cluster' })).plan);
    clearRequests();
    const r = await dryRun(conn, first);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.report.outcomes.map((o) => o.dryRun), ['passed', ...r.report.outcomes.slice(1).map((o) => (o.ref.namespace ? 'deferred' : 'passed'))]);
    assert.match(r.report.summary, /^The server-side dry run passed for 5 of 12 writes \(5 to create\)\. 7 writes in namespaces kvs-system, kubevirt-storage-restore-size-ca, which this plan creates, cannot be dry-run until they exist/);
    assert.deepEqual([...(await labelledOn(conn)).keys()], [], 'nothing stored');
    assert.ok(requests().every((q) => q.method === 'GET' || q.query.includes('dryRun=All')), 'only reads and dry runs');
  });

  test('apply: dry run first, the configuration after the rollout, verified through the webhook', async () => {
    // The real webhook server with the plan's certificate, where the configuration's Service leads.
    const snapshots = new MemorySnapshotSource([snapshot('vms', 'tpm-snap', '20Mi')]);
    server = createWebhookServer({ tls: { cert: secretText(first, `${NAME}-certs`, 'tls.crt'), key: secretText(first, `${NAME}-certs`, 'tls.key') }, snapshots, logger: captureLog().logger });
    port = (await server.listen(0, '127.0.0.1')).port;
    clearRequests();
    const hooks = recorder();
    const r = await applyPlan(conn, first, hooks);
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.verification?.message);
    assert.match(r.verification!.message, /^Verified: a dry-run restore PVC from VolumeSnapshot vms\/tpm-snap asking for 22020096 bytes .*: the webhook set the request to restoreSize 20Mi \(20Mi\)\./);
    assert.ok(r.steps.every((s) => s.state === 'done'));
    const stages = hooks.seen.map((s) => s.stage).filter((s, i, all) => s !== all[i - 1]);
    // Each namespace the plan creates (the webhook's, the CA key's) is followed by the dry runs of what goes into it.
    assert.deepEqual(stages, ['dry-run', 'journal', 'apply', 'dry-run', 'apply', 'dry-run', 'apply', 'wait', 'apply', 'verify']);
    assert.equal(await count('v1', 'PersistentVolumeClaim'), 0, 'the verification stored no PVC');
    assert.equal(await count('v1', 'ConfigMap', JOURNAL), 1, 'one journal');
    assert.equal(await count('v1', 'Secret', JOURNAL), 1, 'what it records of Secrets is in a Secret');
    const journal = await conn.list('v1', 'ConfigMap', JOURNAL);
    assert.doesNotMatch(JSON.stringify(journal.ok && journal.value.items), /PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRF/, 'no key material in the journal ConfigMap');

    // The order of the requests and the webhook's own call: only the emulator logs them.
    const emu = target.emulator;
    if (!emu) return;
    const writes = emu.requests.map((q, i) => ({ ...q, i })).filter((q) => q.method !== 'GET' && !q.path.includes(`/namespaces/${JOURNAL}`) && q.path !== '/api/v1/namespaces');
    const real = writes.filter((q) => !q.query.includes('dryRun=All'));
    const dry = writes.filter((q) => q.query.includes('dryRun=All'));
    assert.equal(real[0]!.path, `/api/v1/namespaces/${ns}`, 'the namespace is created first, so its objects can be dry-run');
    const afterNamespaces = real.find((q) => !/^\/api\/v1\/namespaces\/[^/]+$/.test(q.path))!;
    assert.ok(dry.filter((d) => d.path.includes(`/namespaces/${ns}/`)).every((d) => d.i < afterNamespaces.i), 'every deferred dry run precedes the next real write');
    for (const w of real.filter((q) => q.method === 'PATCH')) assert.ok(dry.some((d) => d.path === w.path && d.i < w.i), `${w.path} was dry-run before it was applied`);
    assert.match(real.filter((q) => q.method === 'PATCH').at(-1)!.path, /mutatingwebhookconfigurations\/kubevirt-storage-restore-size$/, 'the configuration is applied last');
    const verifyCall = emu.webhookCalls.find((c) => c.configuration === NAME);
    assert.deepEqual({ dryRun: verifyCall?.dryRun, outcome: verifyCall?.outcome }, { dryRun: true, outcome: 'patched' });
  });

  test('a second deploy with the same options changes nothing, says so, and records no run', async () => {
    const before = await labelledOn(conn);
    const again = quick((await plan(conn, { namespace: ns, 'ca-key': 'cluster' })).plan);
    assert.match(again.notes.join(' '), /serving certificate already in Secret .* is kept/);
    const r = await applyPlan(conn, again, recorder());
    assert.equal(r.outcome, 'unchanged', r.message);
    assert.match(r.message, /^Nothing to change: the cluster already matches the plan \(10 unchanged\)\. Verified/);
    assert.deepEqual(await labelledOn(conn), before);
    assert.equal(await count('v1', 'ConfigMap', JOURNAL), 1);
  });

  test('status: replicas, certificate expiry, configuration order', async () => {
    const r = await webhookStatus(conn, new Date());
    assert.ok(r.ok, r.ok ? '' : r.message);
    const s = r.status;
    assert.deepEqual({ deployed: s.deployed, namespace: s.namespace, replicas: s.replicas }, { deployed: true, namespace: ns, replicas: { desired: 2, ready: 2 } });
    assert.ok(s.certificate && s.certificate.daysLeft >= 363 && s.certificate.daysLeft <= 365, JSON.stringify(s.certificate));
    assert.deepEqual(s.configuration, { name: NAME, present: true, ordersAfterCdi: true, cdiConfigurationPresent: false });
    assert.equal(s.certificate?.warning, undefined);
    // 30 days before the end (and after it) the status warns, naming the rotation.
    const later = await webhookStatus(conn, new Date(Date.now() + 340 * 86_400_000));
    assert.ok(later.ok);
    assert.match(later.status.certificate?.warning ?? '', /^the serving certificate expires in 2\d days: renew it with the webhook-rotate operation/);
    assert.match(later.status.summary, /WARNING: the serving certificate expires in/);
    const expired = await webhookStatus(conn, new Date(Date.now() + 400 * 86_400_000));
    assert.ok(expired.ok);
    assert.match(expired.status.certificate?.warning ?? '', /^the serving certificate has expired: the API server cannot call the webhook/);
  });

  const read = async <T>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<T | undefined> => {
    const r = await conn.get<T>(apiVersion, kind, namespace, name);
    return r.ok ? r.value : undefined;
  };
  const bundle = async (): Promise<string> =>
    Buffer.from((await read<{ webhooks: { clientConfig: { caBundle: string } }[] }>('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME))!.webhooks[0]!.clientConfig.caBundle, 'base64').toString('utf8');
  const servingCert = async (): Promise<string | undefined> => (await read<{ data: Record<string, string> }>('v1', 'Secret', ns, `${NAME}-certs`))?.data['tls.crt'];

  test('rotate: a new serving certificate from the same CA; the caBundle stays; the upstream image restarts; undo restores the old one', async () => {
    const caBefore = await bundle();
    const podAnnotations = async () => JSON.stringify((await read<{ spec: { template: { metadata: { annotations?: object } } } }>('apps/v1', 'Deployment', ns, NAME))!.spec.template.metadata.annotations);
    const annotationsBefore = await podAnnotations();
    const certBefore = await servingCert();
    const r = await applyPlan(conn, quick((await plan(conn, {}, undefined, 'webhook-rotate')).plan), recorder());
    assert.equal(r.outcome, 'applied', r.message);
    assert.notEqual(await servingCert(), certBefore);
    assert.equal(await bundle(), caBefore);
    assert.notEqual(await podAnnotations(), annotationsBefore, 'the certificate hash on the pod template rolls the pvc-shrink-ray pods');
    const u = await undoRuns(conn, JOURNAL, { operations: ['webhook-rotate'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.equal(await servingCert(), certBefore, 'undo restores the previous certificate from the journal');
    assert.equal(await podAnnotations(), annotationsBefore);
  });

  test('rotate without the CA key: a new CA, trusted next to the old one (configuration first), its key not stored', async () => {
    const old = await bundle();
    await target.remove('v1', 'Secret', `${NAME}-ca`, `${NAME}-ca`);
    clearRequests();
    const r = await applyPlan(conn, quick((await plan(conn, {}, undefined, 'webhook-rotate')).plan), recorder());
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal((await bundle()).match(/BEGIN CERTIFICATE/g)?.length, 2);
    assert.ok((await bundle()).includes(old.trim()), 'the old CA is still trusted');
    assert.equal(await read('v1', 'Secret', `${NAME}-ca`, `${NAME}-ca`), undefined, 'the new CA key is not stored');
    assert.equal(await read('v1', 'Secret', ns, `${NAME}-ca`), undefined);
    if (target.emulator) {
      // The order of the writes: only the emulator logs requests.
      const writes = requests().filter((q) => q.method === 'PATCH' && !q.query.includes('dryRun=All') && !q.path.includes(`/namespaces/${JOURNAL}`)).map((q) => q.path.split('/').slice(-2).join('/'));
      assert.equal(writes[0], `mutatingwebhookconfigurations/${NAME}`, 'the new CA is trusted before any pod serves it');
    }
    // Another rotation: the bundle holds the new CA and the one the pods serve from, never more.
    const r2 = await applyPlan(conn, quick((await plan(conn, {}, undefined, 'webhook-rotate')).plan), recorder());
    assert.equal(r2.outcome, 'applied', r2.message);
    assert.equal((await bundle()).match(/BEGIN CERTIFICATE/g)?.length, 2);
  });

  const namespaceGone = (): Promise<void> =>
    waitFor(`namespace ${ns} to go`, async () => !(await read('v1', 'Namespace', undefined, ns)), 30_000);

  test('undo of the deploy after a rotation: the rotation is undone first, then everything the deploy created goes', async () => {
    const u = await undoRuns(conn, JOURNAL, { operations: ['webhook', 'webhook-rotate'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual([...(await labelledOn(conn)).keys()], []);
    await namespaceGone(); // a real server finalizes it: Terminating first, then gone
  });

  test('uninstall: lists every labelled object (the configuration first, the created namespace last); then nothing is left', async () => {
    const deployed = await applyPlan(conn, quick((await plan(conn, { namespace: ns })).plan), recorder());
    assert.equal(deployed.outcome, 'applied', deployed.message);
    const before = (await labelledOn(conn)).size;
    const un = (await plan(conn, {}, undefined, 'webhook-uninstall')).plan;
    const dry = await dryRun(conn, un);
    assert.ok(dry.ok, dry.ok ? '' : dry.message);
    assert.equal(dry.report.outcomes.length, before, 'every labelled object, the created namespace included');
    assert.deepEqual([dry.report.outcomes[0]!.ref.kind, dry.report.outcomes.at(-1)!.ref.kind], ['MutatingWebhookConfiguration', 'Namespace']);
    assert.ok(dry.report.outcomes.every((o) => o.action === 'delete'));
    assert.equal((await labelledOn(conn)).size, before, 'the dry run deleted nothing');
    const r = await applyPlan(conn, un, recorder());
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.verification?.message);
    assert.deepEqual([...(await labelledOn(conn)).keys()], []);
    assert.ok(await read('v1', 'Namespace', undefined, 'vms'), 'other namespaces stay');
    await namespaceGone();
    const nothing = (await plan(conn, {}, undefined, 'webhook-uninstall')).plan;
    assert.deepEqual(nothing.phases, [], 'nothing left to uninstall');
  });
});

describe('webhook: failures report exactly what was applied', () => {
  const ns = 'kvs-existing';
  let emu: Emulator;
  let admin: ClusterConnection;
  before(async () => {
    emu = await startEmulator({ withoutGroups: ['cert-manager.io'] });
    emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    admin = await open(emu);
  });
  after(async () => {
    admin.dispose();
    await emu.close();
  });

  test('a read-only user: the dry run names the missing permission and nothing is applied', async () => {
    const ro = await open(emu, 'readonly');
    try {
      const p = (await plan(ro, { namespace: ns })).plan;
      const dry = await dryRun(ro, p);
      assert.equal(dry.ok, false);
      assert.match(dry.ok ? '' : dry.message, /^The dry run failed at ServiceAccount kvs-existing\/kubevirt-storage-restore-size \(step 1 of 8\): .*forbidden.* Missing permission: patch \(and create\) serviceaccounts in namespace kvs-existing\. Nothing was applied\.$/);
      const r = await applyPlan(ro, p, recorder());
      assert.equal(r.outcome, 'failed');
      assert.equal(r.message, dry.ok ? '' : dry.message);
      assert.deepEqual([...labelled(emu).keys()], []);
      assert.ok(!emu.requests.some((q) => q.user === 'readonly' && q.method !== 'GET' && !q.query.includes('dryRun=All')));
    } finally {
      ro.dispose();
    }
  });

  test('cancelled mid-way: stops between writes, lists what was applied; undo removes it', async () => {
    const controller = new AbortController();
    const hooks = recorder(controller.signal);
    const progress = hooks.progress!;
    hooks.progress = (p) => {
      progress(p);
      if (p.stage === 'apply' && p.message.includes('Secret')) controller.abort();
    };
    const r = await applyPlan(admin, (await plan(admin, { namespace: ns })).plan, hooks);
    assert.equal(r.outcome, 'cancelled', r.message);
    assert.match(r.message, /^Cancelled\. Applied: ServiceAccount .*, ClusterRole .*, ClusterRoleBinding kubevirt-storage-restore-size\. Not applied: Secret .*MutatingWebhookConfiguration kubevirt-storage-restore-size\. Apply again to finish, or undo/);
    assert.deepEqual([...labelled(emu).keys()].map((k) => k.split(' ')[0]), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    const u = await undoRuns(admin, JOURNAL, { operations: ['webhook'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual([...labelled(emu).keys()], []);
  });

  test('a rollout that does not finish in time: everything but the configuration applied, and said so', async () => {
    const r = await applyPlan(admin, quick((await plan(admin, { namespace: ns })).plan, 0.3), recorder());
    assert.equal(r.outcome, 'failed');
    assert.match(r.message, /^The rollout did not complete: deployment "kubevirt-storage-restore-size" did not roll out within 300 ms \(waiting for the deployment .* spec update to be observed\)\. Applied: .*PodDisruptionBudget .*\. Not applied: MutatingWebhookConfiguration kubevirt-storage-restore-size\./);
    assert.equal(emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME), undefined);
    const u = await undoRuns(admin, JOURNAL, { operations: ['webhook'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual([...labelled(emu).keys()], []);
  });
});

describe('webhook deploy: a write refused at each step leaves a state that undo and apply again both handle', () => {
  // Ten writes of a deploy into a namespace it creates (Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding,
  // two Secrets, Service, Deployment, PodDisruptionBudget, MutatingWebhookConfiguration), counted from the plan.
  const ns = 'kvs-faults';
  const journalPaths = /\/namespaces\/kvs-journal(\/|$)|\/api\/v1\/namespaces$/;
  test('refused at write 1 … N', async () => {
    const emu = await startEmulator({ withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'] });
    const conn = await open(emu);
    const controller = rollingOut(emu, ns);
    try {
      const writes = (await plan(conn, { namespace: ns })).plan.phases.reduce((n, p) => n + p.writes.length, 0);
      for (let n = 1; n <= writes; n++) {
        const p = quick((await plan(conn, { namespace: ns })).plan);
        emu.faults.failNext({ writes: true, dryRun: false, notPath: journalPaths, skip: n - 1 }, 500);
        const failed = await applyPlan(conn, p, recorder());
        assert.equal(failed.outcome, 'failed', `write ${n}: ${failed.message}`);
        assert.match(failed.message, new RegExp(`step ${n} of ${writes}`));
        assert.equal(labelled(emu).size, n - 1, `write ${n}: exactly the writes before it are in the cluster`);
        const u = await undoRuns(conn, JOURNAL, { operations: ['webhook'] }, { force: false });
        assert.ok(u.ok, `write ${n}: ${u.message}`);
        assert.deepEqual([...labelled(emu).keys()], [], `write ${n}: undo leaves nothing`);
        assert.equal(emu.store.get('v1', 'Namespace', undefined, ns), undefined);

        emu.faults.failNext({ writes: true, dryRun: false, notPath: journalPaths, skip: n - 1 }, 500);
        assert.equal((await applyPlan(conn, quick((await plan(conn, { namespace: ns })).plan), recorder())).outcome, 'failed');
        const finished = await applyPlan(conn, quick((await plan(conn, { namespace: ns })).plan), recorder());
        assert.equal(finished.outcome, 'applied', `write ${n}: apply again: ${finished.message}`);
        assert.equal(labelled(emu).size, writes, `write ${n}: apply again finishes the deploy`);
        const all = await undoRuns(conn, JOURNAL, { operations: ['webhook'] }, { force: false });
        assert.ok(all.ok, `write ${n}: ${all.message}`);
        assert.deepEqual([...labelled(emu).keys()], []);
      }
    } finally {
      controller.stop();
      conn.dispose();
      await emu.close();
    }
  });
});


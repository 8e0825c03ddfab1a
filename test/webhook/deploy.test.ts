// The deploy of the restore-size webhook against the API emulator, through the server's real code
// (server/webhook*.ts over cluster/): the plan's TLS mode follows what the cluster serves; dry-run first and
// storing nothing; apply in order with the configuration after the rollout (the test plays the deployment
// controller by writing the Deployment's status); verification through real HTTPS admission; a second deploy
// changes nothing; status; rotation; uninstall leaves nothing labelled behind; 403s and cancellation report
// exactly what was applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { DEFAULT_WEBHOOK_NAME, WEBHOOK_LABELS } from '../../core/webhookPlan.js';
import type { WebhookProgressParams } from '../../protocol/webhook.js';
import type { RunHooks } from '../../server/webhookApply.js';
import { applyPlan, dryRunPlan } from '../../server/webhookDeploy.js';
import { makePlan, type StoredPlan } from '../../server/webhookPlanner.js';
import { rotateWebhook } from '../../server/webhookRotate.js';
import { DEPLOYED_KINDS, uninstallWebhook, webhookStatus } from '../../server/webhookStatus.js';
import { createWebhookServer, type WebhookServer } from '../../webhook/server.js';
import { MemorySnapshotSource } from '../../webhook/snapshotSource.js';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorUser } from '../emulator/index.js';
import { captureLog, snapshot, until } from './helpers.js';

const NAME = DEFAULT_WEBHOOK_NAME;
const dirs: string[] = [];

async function open(emu: Emulator, user: EmulatorUser = 'admin'): Promise<ClusterConnection> {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-deploy-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config'), emu.kubeconfig({ user, namespace: 'vms' }));
  const c = await connect({ kubeconfigPath: join(dir, 'config'), env: {} });
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

async function plan(conn: ClusterConnection, params: { namespace?: string; tlsMode?: 'self-signed' } = {}, cdiVersion?: string): Promise<StoredPlan> {
  const r = await makePlan(conn, 'p', { params, settings: {}, ...(cdiVersion ? { cdiVersion: { version: cdiVersion, source: 'test' } } : {}), now: new Date() });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.plan;
}

function recorder(signal?: AbortSignal): RunHooks & { seen: WebhookProgressParams[] } {
  const seen: WebhookProgressParams[] = [];
  return { seen, signal, progress: (step, message) => seen.push({ planId: 'p', step, message }) };
}

/** Plays the deployment controller: once the Deployment exists, its status says every replica is ready. */
async function rollOut(emu: Emulator, namespace: string): Promise<void> {
  await until(() => emu.store.get('apps/v1', 'Deployment', namespace, NAME) !== undefined, 'the Deployment to be applied', 20_000);
  const d = emu.store.get('apps/v1', 'Deployment', namespace, NAME) as { metadata: { generation: number }; spec: { replicas: number } };
  const n = d.spec.replicas;
  emu.store.patchStatus('apps/v1', 'Deployment', namespace, NAME, { observedGeneration: d.metadata.generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n });
}

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
const secretText = (p: StoredPlan, name: string, key: string): string =>
  Buffer.from(((p.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as { data?: Record<string, string> } | undefined)?.data?.[key]) ?? '', 'base64').toString('utf8');

after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('plan: the TLS mode and namespace follow what the cluster serves', () => {
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

  test('cert-manager served: cert-manager; CDI installed: its namespace', () =>
    withEmulator({}, async (emu, conn) => {
      emu.store.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'cdi-api-pvc-mutate' }, webhooks: [{ name: 'pvc-mutate.cdi.kubevirt.io', clientConfig: { service: { name: 'cdi-api', namespace: 'cdi-system' } } }] });
      const p = await plan(conn, {}, 'v1.63.1');
      assert.equal(p.summary.tlsMode, 'cert-manager');
      assert.deepEqual(p.summary.platform, { openshiftServiceCa: false, certManager: true });
      assert.equal(p.summary.namespace, 'cdi-system');
      assert.equal(p.createsNamespace, true);
      assert.deepEqual(p.summary.cdi, { version: 'v1.63.1', inflatesSnapshotRestores: true, note: p.summary.cdi.note });
      assert.deepEqual(p.summary.objects.map((o) => o.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Issuer', 'Certificate', 'Issuer', 'Certificate', 'Service', 'Deployment', 'PodDisruptionBudget', 'MutatingWebhookConfiguration']);
    }));

  test('neither OpenShift nor cert-manager: self-signed, the key material redacted in the preview; CDI v1.64 needs no webhook', () =>
    withEmulator({ withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'] }, async (_emu, conn) => {
      const p = await plan(conn, {}, 'v1.64.0');
      assert.equal(p.summary.tlsMode, 'self-signed');
      assert.equal(p.summary.namespace, 'kubevirt-storage');
      assert.equal(p.summary.cdi.inflatesSnapshotRestores, false);
      assert.match(p.summary.cdi.note, /no longer inflates/);
      assert.ok(p.summary.objects.some((o) => o.kind === 'Secret' && o.name === `${NAME}-ca`), 'the CA key has its own Secret');
      assert.match(secretText(p, `${NAME}-certs`, 'tls.key'), /BEGIN PRIVATE KEY/, 'the server keeps the real key');
      assert.doesNotMatch(p.summary.yaml, /PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRF/, 'no private key, PEM or base64, in the preview');
      assert.match(p.summary.yaml, /tls\.key: "?<redacted/);
      const r = await makePlan(conn, 'q', { params: { tlsMode: 'cert-manager' }, settings: {}, now: new Date() });
      assert.deepEqual(r, { ok: false, message: 'cert-manager is not installed: the cluster does not serve cert-manager.io/v1 Issuers and Certificates.' });
    }));

  test('OpenShift API groups served: service-ca', () =>
    withEmulator({ resources: [{ group: 'route.openshift.io', version: 'v1', kind: 'Route', plural: 'routes', namespaced: true }] }, async (_emu, conn) => {
      const p = await plan(conn, { namespace: 'openshift-cnv' });
      assert.equal(p.summary.tlsMode, 'openshift-service-ca');
      assert.equal(p.summary.platform.openshiftServiceCa, true);
      assert.match(p.summary.yaml, /service\.beta\.openshift\.io\/serving-cert-secret-name/);
      assert.equal(p.summary.cdi.inflatesSnapshotRestores, true, 'an unknown CDI version is assumed to inflate');
    }));
});

describe('deploy, redeploy, status, rotate, uninstall (self-signed)', () => {
  const ns = 'kvs-system';
  let emu: Emulator;
  let conn: ClusterConnection;
  let server: WebhookServer | undefined;
  let first: StoredPlan;

  before(async () => {
    emu = await startEmulator({ withoutGroups: ['cert-manager.io'] });
    emu.store.create(snapshot('vms', 'tpm-snap', '20Mi'));
    conn = await open(emu);
  });
  after(async () => {
    await server?.shutdown(1000);
    conn.dispose();
    await emu.close();
  });

  test('the dry run reports every object and stores nothing', async () => {
    first = await plan(conn, { namespace: ns });
    assert.equal(first.createsNamespace, true);
    emu.requests.length = 0;
    const r = await dryRunPlan(conn, first, recorder());
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.outcomes.map((o) => o.action), first.objects.map(() => 'create'));
    assert.deepEqual([...labelled(emu).keys()], [], 'nothing stored');
    assert.ok(emu.requests.some((q) => q.method === 'PATCH' && q.query.includes('dryRun=All')));
    assert.ok(emu.requests.every((q) => q.method === 'GET' || q.query.includes('dryRun=All')), 'only reads and dry runs');
  });

  test('apply: dry run first, the configuration after the rollout, verified through the webhook', async () => {
    // The real webhook server with the plan's certificate, where the configuration's Service leads.
    const snapshots = new MemorySnapshotSource([snapshot('vms', 'tpm-snap', '20Mi')]);
    server = createWebhookServer({ tls: { cert: secretText(first, `${NAME}-certs`, 'tls.crt'), key: secretText(first, `${NAME}-certs`, 'tls.key') }, snapshots, logger: captureLog().logger });
    const address = await server.listen(0, '127.0.0.1');
    emu.services.register(ns, NAME, 443, `https://127.0.0.1:${address.port}`);
    emu.requests.length = 0;
    const hooks = recorder();
    const [r] = await Promise.all([applyPlan(conn, first, hooks, { verifyMs: 5000 }), rollOut(emu, ns)]);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.verified, true, r.verification);
    assert.match(r.verification, /^Verified: .*tpm-snap asking for 22020096 bytes was admitted asking for 20Mi/);
    assert.deepEqual(r.outcomes.map((o) => `${o.kind}:${o.action}`), first.objects.map((o) => `${o.kind}:create`));

    const writes = emu.requests.map((q, i) => ({ ...q, i })).filter((q) => q.method === 'PATCH');
    const real = writes.filter((q) => !q.query.includes('dryRun=All'));
    const dry = writes.filter((q) => q.query.includes('dryRun=All'));
    assert.equal(real[0]!.path, `/api/v1/namespaces/${ns}`, 'the namespace is created first, so its objects can be dry-run');
    assert.ok(dry.at(-1)!.i < real[1]!.i, 'every dry run precedes the first real write into the namespace');
    for (const w of real) assert.ok(dry.some((d) => d.path === w.path && d.i < w.i), `${w.path} was dry-run before it was applied`);
    assert.match(real.at(-1)!.path, /mutatingwebhookconfigurations\/kubevirt-storage-restore-size$/, 'the configuration is applied last');
    const steps = hooks.seen.map((s) => s.step).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(steps, ['dry-run', 'apply', 'dry-run', 'apply', 'rollout', 'apply', 'verify']);
    const verifyCall = emu.webhookCalls.find((c) => c.configuration === NAME);
    assert.deepEqual({ dryRun: verifyCall?.dryRun, outcome: verifyCall?.outcome }, { dryRun: true, outcome: 'patched' });
    assert.equal(emu.store.list('v1', 'PersistentVolumeClaim').length, 0, 'the verification stored no PVC');
  });

  test('a second deploy with the same options reports everything unchanged and changes no resourceVersion', async () => {
    const before = labelled(emu);
    const again = await plan(conn, { namespace: ns });
    assert.equal(again.createsNamespace, false);
    assert.match(again.summary.yaml, /serving certificate already in Secret .* is kept/);
    const dry = await dryRunPlan(conn, again);
    assert.ok(dry.ok, dry.ok ? '' : dry.message);
    assert.deepEqual(dry.outcomes.map((o) => o.action), again.objects.map(() => 'unchanged'));
    const r = await applyPlan(conn, again, recorder(), { verifyMs: 5000 });
    assert.ok(r.ok && r.verified, r.ok ? r.verification : r.message);
    assert.deepEqual(r.outcomes.map((o) => o.action), again.objects.map(() => 'unchanged'));
    assert.deepEqual(labelled(emu), before);
  });

  test('status: replicas, certificate expiry, configuration order', async () => {
    const r = await webhookStatus(conn, new Date());
    assert.ok(r.ok, r.ok ? '' : r.message);
    const s = r.status;
    assert.deepEqual({ deployed: s.deployed, namespace: s.namespace, replicas: s.replicas }, { deployed: true, namespace: ns, replicas: { desired: 2, ready: 2 } });
    assert.ok(s.certificate && s.certificate.daysLeft >= 363 && s.certificate.daysLeft <= 365, JSON.stringify(s.certificate));
    assert.deepEqual(s.configuration, { name: NAME, present: true, ordersAfterCdi: true, cdiConfigurationPresent: false });
    assert.match(s.summary, /2\/2 replicas ready; its certificate expires .* runs after cdi-api-pvc-mutate \(which is not present/);
  });

  test('rotate: a new serving certificate from the same CA; the caBundle stays; the upstream image restarts', async () => {
    const caBefore = (emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME) as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks[0]!.clientConfig.caBundle;
    const podAnnotations = () => JSON.stringify((emu.store.get('apps/v1', 'Deployment', ns, NAME) as { spec: { template: { metadata: { annotations?: object } } } }).spec.template.metadata.annotations);
    const annotationsBefore = podAnnotations();
    const certBefore = (emu.store.get('v1', 'Secret', ns, `${NAME}-certs`) as { data: Record<string, string> }).data['tls.crt'];
    const r = await rotateWebhook(conn, recorder(), new Date());
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.notEqual((emu.store.get('v1', 'Secret', ns, `${NAME}-certs`) as { data: Record<string, string> }).data['tls.crt'], certBefore);
    assert.equal((emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME) as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks[0]!.clientConfig.caBundle, caBefore);
    assert.notEqual(podAnnotations(), annotationsBefore, 'the certificate hash on the pod template rolls the pvc-shrink-ray pods');
  });

  test('rotate without the CA key: a new CA, trusted next to the old one (configuration first), its key stored again', async () => {
    const bundle = (): string => Buffer.from((emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME) as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks[0]!.clientConfig.caBundle, 'base64').toString('utf8');
    const old = bundle();
    emu.store.delete('v1', 'Secret', ns, `${NAME}-ca`);
    emu.requests.length = 0;
    const r = await rotateWebhook(conn, recorder(), new Date());
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(bundle().match(/BEGIN CERTIFICATE/g)?.length, 2);
    assert.ok(bundle().includes(old.trim()), 'the old CA is still trusted');
    const writes = emu.requests.filter((q) => q.method === 'PATCH' && !q.query.includes('dryRun=All')).map((q) => q.path.split('/').slice(-2).join('/'));
    assert.equal(writes[0], `mutatingwebhookconfigurations/${NAME}`, 'the new CA is trusted before any pod serves it');
    assert.ok(writes.includes(`secrets/${NAME}-ca`), writes.join(', '));
  });

  test('uninstall: a dry run deletes nothing; then nothing labelled is left, and the namespace the deploy created is gone', async () => {
    const count = labelled(emu).size;
    const dry = await uninstallWebhook(conn, true, recorder());
    assert.ok(dry.ok, dry.ok ? '' : dry.message);
    assert.equal(dry.outcomes.length, count, 'every labelled object, the created namespace included');
    assert.equal(dry.outcomes[0]!.kind, 'MutatingWebhookConfiguration', 'the configuration goes first');
    assert.equal(dry.outcomes.at(-1)!.kind, 'Namespace', 'the namespace goes last');
    assert.equal(labelled(emu).size, count);
    const r = await uninstallWebhook(conn, false, recorder());
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual([...labelled(emu).keys()], []);
    assert.equal(emu.store.get('v1', 'Namespace', undefined, ns), undefined);
    assert.equal(emu.store.get('v1', 'Namespace', undefined, 'vms') !== undefined, true, 'other namespaces stay');
  });
});

describe('failures report exactly what was applied', () => {
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
      const p = await plan(ro, { namespace: ns });
      const dry = await dryRunPlan(ro, p);
      assert.equal(dry.ok, false);
      assert.match(dry.ok ? '' : dry.message, /^The dry run failed at ServiceAccount kvs-existing\/kubevirt-storage-restore-size \(object 1 of 9\): .*forbidden.* Missing permission: patch and create serviceaccounts in namespace kvs-existing\. Nothing was applied\.$/);
      const r = await applyPlan(ro, p, recorder());
      assert.deepEqual(r, { ok: false, message: `${dry.ok ? '' : dry.message}`, outcomes: [] });
      assert.deepEqual([...labelled(emu).keys()], []);
      assert.ok(!emu.requests.some((q) => q.user === 'readonly' && q.method !== 'GET' && !q.query.includes('dryRun=All')));
    } finally {
      ro.dispose();
    }
  });

  test('cancelled mid-way: stops between objects and lists what was applied', async () => {
    const controller = new AbortController();
    const hooks = recorder(controller.signal);
    const progress = hooks.progress;
    hooks.progress = (step, message) => {
      progress(step, message);
      if (step === 'apply' && message.includes('ClusterRoleBinding')) controller.abort();
    };
    const r = await applyPlan(admin, await plan(admin, { namespace: ns }), hooks);
    assert.equal(r.ok, false);
    assert.deepEqual(r.outcomes?.map((o) => o.kind), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    assert.match(r.ok ? '' : r.message, /^Cancelled\. Applied: ServiceAccount .*, ClusterRole .*, ClusterRoleBinding kubevirt-storage-restore-size\. Not applied: Secret .*MutatingWebhookConfiguration kubevirt-storage-restore-size\. The MutatingWebhookConfiguration is not applied/);
    assert.deepEqual([...labelled(emu).keys()].map((k) => k.split(' ')[0]), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
  });

  test('a rollout that does not finish in time: everything but the configuration applied, and said so', async () => {
    const r = await applyPlan(admin, await plan(admin, { namespace: ns }), recorder(), { rolloutMs: 300 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^The rollout did not complete: deployment "kubevirt-storage-restore-size" did not roll out within 300 ms \(waiting for the deployment .* spec update to be observed\)\. Applied: .*PodDisruptionBudget .*\. Not applied: MutatingWebhookConfiguration kubevirt-storage-restore-size\./);
    assert.equal(emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME), undefined);
  });
});

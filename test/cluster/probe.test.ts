/**
 * cluster/probe.ts on each target: whether CDI's `cdi-api-pvc-mutate` exists, and the API server's answer to a
 * dry-run create. The API server fills a PVC's absent class with the Kubernetes default (DefaultStorageClass) and its
 * absent volumeMode with Filesystem before the mutating webhooks run (facts §0.3); a CDI-like webhook reached
 * through its Service inflates by 10 %, which the model (6 %) does not know: only the request differs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import { connect } from '../../cluster/connection.js';
import type { KubeObject } from '../../cluster/paths.js';
import { isCreateForbidden, probeRender, readPvcWebhook } from '../../cluster/probe.js';
import { requiredSpace } from '../../core/cdi/size.js';
import type { Facts, LiveRenderFact, PvcWebhookFact, StorageClassFact } from '../../core/facts.js';
import { compareWithCluster, predictStore } from '../../core/probe/probe.js';
import type { PvcSpecInput } from '../../core/cdi/render.js';
import { parseQuantity } from '../../core/quantity.js';
import { defaultSettings } from '../../core/types.js';
import { cdiPvcMutate, storageOf } from '../emulator/admissionFixtures.js';
import { startWebhook, type TestWebhook } from '../emulator/helpers.js';
import { createCa } from '../emulator/index.js';
import { connectAdmin, describeTargets, needsUser, waitFor, type TestTarget } from './target.js';

const MWC = 'admissionregistration.k8s.io/v1';

describeTargets(
  "cluster/probe: the cluster's own answer",
  (spec) => {
    let target: TestTarget;
    let conn: ClusterConnection;
    let cdi: TestWebhook;
    let defaultClass: string;

    const input = (extra: Partial<PvcSpecInput> = {}): PvcSpecInput => ({
      namespace: target.namespace,
      labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' },
      annotations: {},
      accessModes: ['ReadWriteOnce'],
      requestBytes: 20n * 1024n * 1024n,
      ...extra,
    });
    const probe = async (i: PvcSpecInput): Promise<LiveRenderFact> => {
      const r = await probeRender(conn, i, 'the probe PVC', new Date());
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      return r.value;
    };

    before(async () => {
      target = await spec.start();
      conn = await connectAdmin(target);
      defaultClass = `${target.prefix}default`;
      const ca = await createCa('probe-cluster-ca');
      cdi = await startWebhook(ca, ['cdi-api.cdi.svc'], (r) => {
        if (r.object?.metadata?.annotations?.['test.kvs/deny'] === 'true') return { allowed: false, status: { code: 400, message: 'PVC Spec is not valid - missing storage size' } };
        // RenderPvc's isClone (<= v1.63): a cloneType annotation and no size get a request of 0.
        if (r.object?.metadata?.annotations?.['cdi.kubevirt.io/cloneType'] && storageOf(r.object) === undefined) return { patch: [{ op: 'add', path: '/spec/resources', value: { requests: { storage: '0' } } }] };
        const q = parseQuantity(storageOf(r.object) ?? '');
        const inflated = q.ok ? requiredSpace(q.quantity.bytes, '0.1', 'multiply') : undefined;
        return inflated?.ok ? { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: String(inflated.bytes) }] } : {};
      });
      const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cdi-api', namespace: 'cdi' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }] } };
      await target.seed(
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: defaultClass, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'csi.trident.netapp.io' },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cdi' } },
        service,
      );
      await target.routeService('cdi', 'cdi-api', 443, cdi.port);
    });

    after(async () => {
      await cdi?.close();
      await target?.close();
    });

    test('readPvcWebhook: none is a fact (present: false); then the configuration with its selectors', async () => {
      const none = await readPvcWebhook(conn);
      assert.ok(none.ok, none.ok ? '' : none.error.message);
      assert.deepEqual([none.value.present, none.value.webhooks], [false, []]);
      await target.seed(cdiPvcMutate(cdi.caBundle) as KubeObject);
      const r = await readPvcWebhook(conn);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.value.webhooks.map((w) => [w.name, w.matchesPvcCreate, w.objectSelector?.matchLabels]), [['pvc-mutate.cdi.kubevirt.io', true, { 'cdi.kubevirt.io/applyStorageProfile': 'true' }]]);
      assert.deepEqual(r.value.source, { kind: 'cluster', context: conn.context });
    });

    test('probeRender: the class and volume mode the API server fills in, the webhook\'s render, nothing stored; the model differs in the request only', async () => {
      // kube-apiserver picks a new webhook configuration up moments later: ask until the webhook is in force.
      let answer: LiveRenderFact | undefined;
      await waitFor('cdi-api-pvc-mutate in force', async () => {
        answer = await probe(input());
        return answer.stored?.requestBytes !== 20n * 1024n * 1024n;
      }, 15_000);
      assert.deepEqual(answer!.stored, { storageClassName: defaultClass, volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'], requestBytes: 23068672n, requestText: '23068672' });
      assert.equal(answer!.key, JSON.stringify([null, true, null, 'none']));
      const pvcs = await conn.request({ method: 'GET', path: `/api/v1/namespaces/${target.namespace}/persistentvolumeclaims`, what: 'list PVCs' });
      assert.ok(pvcs.ok);
      assert.deepEqual((JSON.parse(pvcs.value.text) as { items: unknown[] }).items, [], 'a dry run stores nothing');

      // The model, told the same cluster: the Kubernetes default class (not a virt default), Filesystem, CDI v1.63.1's 6 %.
      const live = await readPvcWebhook(conn);
      assert.ok(live.ok);
      const sc: StorageClassFact = { name: defaultClass, provisioner: 'csi.trident.netapp.io', isDefault: true, isDefaultVirt: false, parameters: {}, source: { kind: 'cluster' } };
      const virt: StorageClassFact = { ...sc, name: `${target.prefix}virt`, isDefault: false, isDefaultVirt: true };
      const facts: Facts = {
        volumeSnapshot: () => undefined,
        storageClass: (n) => [sc, virt].find((c) => c.name === n),
        storageClasses: () => [sc, virt],
        storageProfile: () => undefined,
        cdiConfig: () => undefined,
        cdiVersion: () => ({ version: 'v1.63.1', source: { kind: 'cluster' } }),
        pvcWebhook: (): PvcWebhookFact => live.value,
      };
      const diffs = compareWithCluster(predictStore(input(), facts, defaultSettings), answer!);
      assert.deepEqual(diffs.map((d) => [d.field, d.predicted, d.cluster]), [['request', '22229812 bytes', '23068672 bytes']]);

      // A clone the webhook leaves at 0: the API server's validation refuses it after the webhook, as the model says.
      const clone = input({ annotations: { 'cdi.kubevirt.io/cloneType': 'copy' }, storageClassName: defaultClass });
      delete clone.requestBytes;
      const zero = await probe(clone);
      assert.equal(zero.stored, undefined);
      assert.match(zero.refused ?? '', /spec\.resources\[storage\]: Invalid value: "0": must be greater than zero/);
      const predicted = predictStore(clone, facts, defaultSettings);
      assert.equal(predicted.render.refusals.length, 1);
      assert.deepEqual(compareWithCluster(predicted, zero), [], 'the model predicted the refusal');
    });

    test("a webhook's denial is the cluster's answer; a user who may not create PVCs is an error", async (t) => {
      const refused = await probe(input({ annotations: { 'test.kvs/deny': 'true' } }));
      assert.equal(refused.stored, undefined);
      assert.match(refused.refused ?? '', /denied the request: PVC Spec is not valid - missing storage size/);
      if (needsUser(t, target, 'readonly')) return;
      const ro = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'readonly' }), env: {} });
      assert.ok(ro.ok);
      const r = await probeRender(ro.value, input(), 'the probe PVC', new Date());
      ro.value.dispose();
      assert.ok(!r.ok && isCreateForbidden(r.error), JSON.stringify(r));
      await target.remove(MWC, 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
    });
  },
  { kinds: ['cluster'], why: 'it creates CDI\'s own cdi-api-pvc-mutate, which a real cluster with CDI has' },
);

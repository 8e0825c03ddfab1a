// The eight VolumeResize rules over YAML, with the workspace alone and with a cluster's facts (a stand-in
// provider: what cluster/clusterFacts.ts serves from its caches and the kubelet stats reader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterFactsProvider, PdbFact, PvcFact, VolumeUsageFact } from '../../../core/facts.js';
import { noCluster } from '../../../core/facts.js';
import { defaultSettings } from '../../../core/types.js';
import { analyze } from '../../../core/workspace.js';
import { suggestedSize, validateResize } from '../../../core/volumeResize/validate.js';
import { applyFix, docs, file, one, only, textAt } from './helpers.js';

const sts = (o: { replicas?: number; modes?: string; size?: string; labels?: string } = {}) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  replicas: ${o.replicas ?? 3}
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        ${o.labels ?? 'app: db'}
    spec:
      containers:
        - name: postgres
          image: postgres:16
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [${o.modes ?? 'ReadWriteOnce'}]
        resources:
          requests:
            storage: ${o.size ?? '10Gi'}
    - metadata:
        name: logs
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
`;

const vr = (o: { volume?: string; size?: string; sts?: string; sc?: string } = {}) => `apiVersion: storage.maurice.fr/v1alpha1
kind: VolumeResize
metadata:
  name: shrink-db
  namespace: shop
spec:
  statefulSetName: ${o.sts ?? 'db'}
  volumes:
    - name: ${o.volume ?? 'data'}
      newSize: ${o.size ?? '4Gi'}
${o.sc ? `      storageClass: ${o.sc}\n` : ''}`;

const pdb = (o: { status?: number; max?: string; min?: string; labels?: string; noSelector?: boolean }) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db-pdb
  namespace: shop
spec:
${o.max !== undefined ? `  maxUnavailable: ${o.max}\n` : ''}${o.min !== undefined ? `  minAvailable: ${o.min}\n` : ''}${o.noSelector ? '' : `  selector:\n    matchLabels:\n      ${o.labels ?? 'app: db'}\n`}${o.status !== undefined ? `status:\n  disruptionsAllowed: ${o.status}\n` : ''}`;

const gi = 1024n ** 3n;
const mi = 1024n ** 2n;

interface Cluster {
  pvcs?: Record<string, Partial<PvcFact>>;
  usage?: Record<string, VolumeUsageFact>;
  pdbs?: PdbFact[];
  serves?: boolean;
  classes?: string[];
}

/** A connected cluster's facts: PVCs by name (namespace shop), the kubelet's usage by PVC name. */
function cluster(c: Cluster = {}): ClusterFactsProvider {
  const source = { kind: 'cluster' as const, context: 'prod' };
  return {
    ...noCluster,
    state: { kind: 'connected', context: 'prod' },
    storageClass: (n) => ((c.classes ?? ['fast']).includes(n) ? { name: n, isDefault: false, isDefaultVirt: false, parameters: {}, source } : undefined),
    storageClasses: () => (c.classes ?? ['fast']).map((name) => ({ name, isDefault: false, isDefaultVirt: false, parameters: {}, source })),
    persistentVolumeClaim: (ns, n) => {
      const p = c.pvcs?.[n];
      return ns === 'shop' && p ? { namespace: ns, name: n, accessModes: ['ReadWriteOnce'], storageClassName: 'fast', source, ...p } : undefined;
    },
    volumeUsage: (_ns, pvc) => c.usage?.[pvc],
    podDisruptionBudgets: () => c.pdbs ?? [],
    serves: () => c.serves ?? true,
    connectedContext: () => 'prod',
  };
}

const pvcOf = (text: string, bytes: bigint): Partial<PvcFact> => ({ requestText: text, requestBytes: bytes });
const threeReplicas = { 'data-db-0': pvcOf('10Gi', 10n * gi), 'data-db-1': pvcOf('10Gi', 10n * gi), 'data-db-2': pvcOf('10Gi', 10n * gi) };

function lintWith(text: string, facts: ClusterFactsProvider = noCluster) {
  return analyze([{ file, text }], { ...defaultSettings, defaultNamespace: 'shop' }, facts);
}

test('upstream cases (validation_test.go at 1ffafc1): StatefulSet missing or there, volume target unknown or known, size larger or smaller, PDB 0, 1 or none', () => {
  const facts = (withSts: boolean, pvcBytes: bigint, pdbs: PdbFact[] = []) => ({
    ...cluster({ pvcs: { 'data-db-0': pvcOf('500Mi', pvcBytes), 'data-db-1': pvcOf('500Mi', pvcBytes), 'data-db-2': pvcOf('500Mi', pvcBytes) }, pdbs }),
    statefulSet: (_ns: string, n: string) =>
      withSts && n === 'db'
        ? { namespace: 'shop', name: 'db', replicas: 3, templateLabels: { app: 'test' }, selector: {}, volumeClaimTemplates: [{ name: 'data', labels: {} }], source: { kind: 'cluster' as const } }
        : undefined,
  });
  const pdbFact = (allowed: number): PdbFact => ({ namespace: 'shop', name: 'test-pdb', hasSelector: true, matchLabels: { app: 'test' }, disruptionsAllowed: allowed, source: { kind: 'cluster' } });
  const rules = (withSts: boolean, volume: string, newSize: string, pvcBytes: bigint, pdbs?: PdbFact[]) =>
    validateResize({ namespace: 'shop', statefulSetName: 'db', volumes: [{ name: volume, newSize }] }, facts(withSts, pvcBytes, pdbs)).problems.map((p) => p.rule);
  const table: [string, string[], string[]][] = [
    ['StatefulSet not found', rules(false, 'data', '100Mi', 500n * mi), ['volumeresize-statefulset-not-found']],
    ['StatefulSet exists', rules(true, 'data', '100Mi', 500n * mi), []],
    ['volume target not found', rules(true, 'nonexistent', '100Mi', 500n * mi), ['volumeresize-unknown-volume']],
    ['size reduction invalid (1Gi over 500Mi)', rules(true, 'data', '1Gi', 500n * mi), ['volumeresize-not-smaller']],
    ['size reduction valid (500Mi under 1Gi)', rules(true, 'data', '500Mi', gi), []],
    ['PDB blocking (disruptionsAllowed 0)', rules(true, 'data', '100Mi', 500n * mi, [pdbFact(0)]), ['volumeresize-pdb-blocks']],
    ['PDB allowing (disruptionsAllowed 1)', rules(true, 'data', '100Mi', 500n * mi, [pdbFact(1)]), []],
    ['no PDB', rules(true, 'data', '100Mi', 500n * mi, []), []],
  ];
  for (const [name, got, want] of table) assert.deepEqual(got, want, name);
});

test('a clean VolumeResize gives no finding, without and with a cluster', () => {
  const text = docs(sts(), vr());
  assert.deepEqual(lintWith(text).filter((f) => f.rule.startsWith('volumeresize')), []);
  assert.deepEqual(lintWith(text, cluster({ pvcs: threeReplicas })).filter((f) => f.rule.startsWith('volumeresize')), []);
});

test('volumeresize-statefulset-not-found: info without a cluster, an error when one is connected, on statefulSetName', () => {
  const text = vr({ sts: 'missing' });
  const info = one(lintWith(text), 'volumeresize-statefulset-not-found');
  assert.equal(info.severity, 'info');
  assert.equal(textAt(text, info), 'missing');
  assert.match(info.message, /connect a cluster/);
  const err = one(lintWith(text, cluster()), 'volumeresize-statefulset-not-found');
  assert.equal(err.severity, 'error');
  assert.match(err.message, /namespace shop of context prod/);
  assert.match(err.message, /StatefulSet missing not found/);
});

test('volumeresize-unknown-volume: names the claim templates, offers each unused one; the fix clears it', () => {
  const text = docs(sts(), vr({ volume: 'dta' }));
  const f = one(lintWith(text), 'volumeresize-unknown-volume');
  assert.equal(textAt(text, f), 'dta');
  assert.match(f.message, /\(data, logs\)/);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Use volume "data"', 'Use volume "logs"']);
  const fixed = applyFix(text, f.fixes![0]!);
  assert.deepEqual(only(lintWith(fixed), 'volumeresize-unknown-volume'), []);
});

test('volumeresize-not-smaller: every replica is compared, each named; replica 0 alone is what the operator checks', () => {
  const text = docs(sts(), vr({ size: '4Gi' }));
  const later = one(lintWith(text, cluster({ pvcs: { ...threeReplicas, 'data-db-2': pvcOf('4Gi', 4n * gi) } })), 'volumeresize-not-smaller');
  assert.equal(later.severity, 'error');
  assert.equal(textAt(text, later), '4Gi');
  assert.match(later.message, /replica 2 \(data-db-2 asks for 4Gi\)/);
  assert.match(later.message, /checks replica 0 alone/);
  assert.equal(later.data?.replicas, '2');
  const first = one(lintWith(text, cluster({ pvcs: { 'data-db-0': pvcOf('2Gi', 2n * gi), 'data-db-1': pvcOf('2Gi', 2n * gi), 'data-db-2': pvcOf('10Gi', 10n * gi) } })), 'volumeresize-not-smaller');
  assert.match(first.message, /replica 0 \(data-db-0 asks for 2Gi\) and replica 1/);
  assert.match(first.message, /must be smaller than current size \(2Gi\) for volume data/);
  // Equal is not smaller.
  assert.equal(only(lintWith(docs(sts(), vr({ size: '10Gi' })), cluster({ pvcs: threeReplicas })), 'volumeresize-not-smaller').length, 1);
});

test('volumeresize-not-smaller: without a cluster the template is compared (a warning); a replica without its PVC is an error', () => {
  const w = one(lintWith(docs(sts({ size: '4Gi' }), vr({ size: '4Gi' }))), 'volumeresize-not-smaller');
  assert.equal(w.severity, 'warning');
  assert.match(w.message, /volumeClaimTemplate data \(4Gi\)/);
  const { 'data-db-1': _gone, ...two } = threeReplicas;
  const missing = one(lintWith(docs(sts(), vr()), cluster({ pvcs: two })), 'volumeresize-not-smaller');
  assert.match(missing.message, /replica 1 has no PVC data-db-1 in namespace shop/);
  assert.match(missing.message, /StatefulSet already deleted/);
});

test('volumeresize-below-used: over the data is an error with a size that fits, within 10 % a warning, unreadable stats an info', () => {
  const text = docs(sts(), vr({ size: '4Gi' }));
  const known = (usedBytes: bigint): VolumeUsageFact => ({ state: 'known', usedBytes, node: 'n1', pod: 'db-0' });
  const over = one(lintWith(text, cluster({ pvcs: threeReplicas, usage: { 'data-db-1': known(5n * gi) } })), 'volumeresize-below-used');
  assert.equal(over.severity, 'error');
  assert.match(over.message, /replica 1 holds 5Gi \(5,368,709,120 bytes\) on data-db-1/);
  assert.deepEqual(over.fixes?.map((f) => f.title), ['Set newSize to 6400Mi (the most data in use, 5Gi, plus 25 %)']);
  const fixed = applyFix(text, over.fixes![0]!);
  assert.match(fixed, /newSize: 6400Mi/);
  assert.deepEqual(only(lintWith(fixed, cluster({ pvcs: threeReplicas, usage: { 'data-db-1': known(5n * gi) } })), 'volumeresize-below-used'), []);

  const tight = one(lintWith(text, cluster({ pvcs: threeReplicas, usage: { 'data-db-0': known(3900n * mi) } })), 'volumeresize-below-used');
  assert.equal(tight.severity, 'warning');
  assert.match(tight.message, /less than 10 % room/);

  const unreadable = one(lintWith(text, cluster({ pvcs: threeReplicas, usage: { 'data-db-2': { state: 'unreadable', reason: 'node n3: the kubelet does not answer (503)' } } })), 'volumeresize-below-used');
  assert.equal(unreadable.severity, 'info');
  assert.match(unreadable.message, /cannot be read from the kubelet's stats \(node n3: the kubelet does not answer \(503\)\)/);
  // Still being read: nothing yet.
  assert.deepEqual(only(lintWith(text, cluster({ pvcs: threeReplicas, usage: { 'data-db-0': { state: 'pending' } } })), 'volumeresize-below-used'), []);
});

test('suggested sizes: 25 % above the data, whole MiB, whole GiB from 10 GiB', () => {
  assert.equal(suggestedSize(0n), '1Mi');
  assert.equal(suggestedSize(400n * mi), '500Mi');
  assert.equal(suggestedSize(5n * gi), '6400Mi');
  assert.equal(suggestedSize(8n * gi + 1n), '11Gi');
});

test('volumeresize-pdb-blocks: reported status, or predicted from a manifest; matchLabels as the operator reads them', () => {
  const blocked = (extra: string, facts?: ClusterFactsProvider) => only(lintWith(docs(sts(), extra, vr()), facts), 'volumeresize-pdb-blocks');
  const f = blocked(pdb({ max: '0' }));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /will allow 0 disruptions \(maxUnavailable 0 of 3 replicas\)/);
  assert.equal(blocked(pdb({ min: '100%' })).length, 1);
  assert.equal(blocked(pdb({ min: '2' })).length, 0);
  assert.equal(blocked(pdb({ max: '1' })).length, 0);
  assert.equal(blocked(pdb({ max: '0', labels: 'app: other' })).length, 0);
  assert.equal(blocked(pdb({ max: '0', noSelector: true })).length, 0, 'no selector: the operator skips it');
  assert.equal(blocked(pdb({ status: 0, max: '1' })).length, 1, 'the reported status wins over the prediction');
  const live: PdbFact = { namespace: 'shop', name: 'live-pdb', hasSelector: true, matchLabels: {}, disruptionsAllowed: 0, source: { kind: 'cluster' } };
  const fromCluster = blocked('', cluster({ pvcs: threeReplicas, pdbs: [live] }));
  assert.equal(fromCluster.length, 1, 'empty matchLabels select every pod');
  assert.match(fromCluster[0]!.message, /live-pdb selects the pods of StatefulSet db \(every pod\) and allows 0/);
});

test('volumeresize-rwx: a ReadWriteMany template (or PVC) is a warning on the volume', () => {
  const text = docs(sts({ modes: 'ReadWriteMany' }), vr());
  const f = one(lintWith(text), 'volumeresize-rwx');
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'data');
  const pvcs = { ...threeReplicas, 'data-db-1': { ...threeReplicas['data-db-1'], accessModes: ['ReadWriteMany'] } };
  assert.match(one(lintWith(docs(sts(), vr()), cluster({ pvcs })), 'volumeresize-rwx').message, /PVC data-db-1/);
});

test('volumeresize-storageclass-not-found: an override that does not exist, a PVC without a class', () => {
  const text = docs(sts(), vr({ sc: 'slow' }));
  const f = one(lintWith(text, cluster({ pvcs: threeReplicas })), 'volumeresize-storageclass-not-found');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'slow');
  assert.match(f.message, /data-db-0-new never binds/);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Use StorageClass fast']);
  assert.equal(one(lintWith(text), 'volumeresize-storageclass-not-found').severity, 'info');
  const classless = { ...threeReplicas, 'data-db-0': { ...threeReplicas['data-db-0'], storageClassName: '' } };
  assert.match(one(lintWith(docs(sts(), vr()), cluster({ pvcs: classless })), 'volumeresize-storageclass-not-found').message, /has no storage class/);
});

test('volumeresize-storageclass-not-found: an Immediate class where the old volumes are pinned (facts with PVs: the start operation)', () => {
  const facts = {
    ...cluster({ pvcs: { 'data-db-0': { ...pvcOf('10Gi', 10n * gi), volumeName: 'pv-0' } } }),
    statefulSet: () => ({ namespace: 'shop', name: 'db', replicas: 1, templateLabels: {}, selector: {}, volumeClaimTemplates: [{ name: 'data', labels: {} }], source: { kind: 'cluster' as const } }),
    storageClass: (n: string) => ({ name: n, isDefault: false, isDefaultVirt: false, parameters: {}, volumeBindingMode: 'Immediate', source: { kind: 'cluster' as const } }),
    persistentVolume: (n: string) => ({ name: n, pinned: true, source: { kind: 'cluster' as const } }),
  };
  const p = validateResize({ namespace: 'shop', statefulSetName: 'db', volumes: [{ name: 'data', newSize: '4Gi' }] }, facts).problems;
  assert.deepEqual(p.map((x) => [x.rule, x.severity]), [['volumeresize-storageclass-not-found', 'warning']]);
  assert.match(p[0]!.message, /PV pv-0 \(pinned by its nodeAffinity\)/);
});

test('volumeresize-operator-missing: a cluster without the CRD, on the kind', () => {
  const text = docs(sts(), vr());
  const f = one(lintWith(text, cluster({ pvcs: threeReplicas, serves: false })), 'volumeresize-operator-missing');
  assert.equal(textAt(text, f), 'VolumeResize');
  assert.match(f.message, /context prod/);
  assert.deepEqual(only(lintWith(text), 'volumeresize-operator-missing'), [], 'no cluster, no claim about it');
});

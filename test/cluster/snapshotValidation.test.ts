/**
 * snapshot-invalid, snapshot-content-invalid and metadata-not-a-string against the API server itself: each case is sent as YAML
 * (`application/yaml`: kube-apiserver decodes it with sigs.k8s.io/yaml, YAML 1.1, as kubectl does) in a
 * server-side dry-run create, and the rules must call it refused exactly when the server refuses it. On the test
 * API server (the project's CRD fixtures, test/apiserver/crds) and on a real cluster (its own CRDs, external-
 * snapshotter's); the emulator validates nothing of custom resources and is skipped.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import { analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { describeTargets, connectAdmin, needsGroups, realServerOnly, type TestTarget } from './target.js';

const RULES = new Set(['snapshot-invalid', 'snapshot-content-invalid', 'metadata-not-a-string']);

interface Case {
  name: string;
  kind: 'VolumeSnapshot' | 'VolumeSnapshotContent' | 'PersistentVolumeClaim';
  /** The object's lines after `metadata` (two-space indented YAML). */
  body: string;
  /** More lines of `metadata`. */
  meta?: string;
}

const snapshot = (name: string, body: string, meta?: string): Case => ({ name, kind: 'VolumeSnapshot', body, ...(meta ? { meta } : {}) });
const content = (name: string, body: string): Case => ({ name, kind: 'VolumeSnapshotContent', body });
/** A claim with more `metadata` lines. */
const claim = (name: string, meta: string): Case => ({ name, kind: 'PersistentVolumeClaim', body: `spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}`, meta });
const goodRef = 'volumeSnapshotRef:\n    name: s\n    namespace: ns';
const contentSpec = (source: string, rest = `deletionPolicy: Delete\n  driver: d\n  ${goodRef}`) => `spec:\n  ${rest}\n  source:\n${source}`;

const cases: Case[] = [
  snapshot('claim', 'spec:\n  source:\n    persistentVolumeClaimName: p'),
  snapshot('content', 'spec:\n  source:\n    volumeSnapshotContentName: c'),
  snapshot('both', 'spec:\n  source:\n    persistentVolumeClaimName: p\n    volumeSnapshotContentName: c'),
  snapshot('empty-claim-and-content', 'spec:\n  source:\n    persistentVolumeClaimName: ""\n    volumeSnapshotContentName: c'),
  snapshot('empty-claim', 'spec:\n  source:\n    persistentVolumeClaimName: ""'),
  snapshot('null-claim-and-content', 'spec:\n  source:\n    persistentVolumeClaimName: null\n    volumeSnapshotContentName: c'),
  snapshot('null-claim', 'spec:\n  source:\n    persistentVolumeClaimName:'),
  snapshot('empty-source', 'spec:\n  source: {}'),
  snapshot('null-source', 'spec:\n  source:'),
  snapshot('no-source', 'spec:\n  volumeSnapshotClassName: x'),
  snapshot('no-spec', ''),
  snapshot('empty-class', 'spec:\n  volumeSnapshotClassName: ""\n  source:\n    persistentVolumeClaimName: p'),
  snapshot('null-class', 'spec:\n  volumeSnapshotClassName:\n  source:\n    persistentVolumeClaimName: p'),
  snapshot('number-claim', 'spec:\n  source:\n    persistentVolumeClaimName: 123'),
  snapshot('yaml11-boolean-claim', 'spec:\n  source:\n    persistentVolumeClaimName: off'),
  snapshot('quoted-boolean-claim', 'spec:\n  source:\n    persistentVolumeClaimName: "off"'),
  snapshot('yaml11-boolean-class', 'spec:\n  volumeSnapshotClassName: yes\n  source:\n    persistentVolumeClaimName: p'),
  content('pre-provisioned', contentSpec('    snapshotHandle: h')),
  content('dynamic', contentSpec('    volumeHandle: v')),
  content('both-handles', contentSpec('    volumeHandle: v\n    snapshotHandle: h')),
  content('empty-volume-handle-beside', contentSpec('    volumeHandle: ""\n    snapshotHandle: h')),
  content('empty-snapshot-handle', contentSpec('    snapshotHandle: ""')),
  content('null-volume-handle-beside', contentSpec('    volumeHandle:\n    snapshotHandle: h')),
  content('no-handle', contentSpec('    {}')),
  content('empty-driver', contentSpec('    snapshotHandle: h', `deletionPolicy: Delete\n  driver: ""\n  ${goodRef}`)),
  content('null-driver', contentSpec('    snapshotHandle: h', `deletionPolicy: Delete\n  driver:\n  ${goodRef}`)),
  content('empty-policy', contentSpec('    snapshotHandle: h', `deletionPolicy: ""\n  driver: d\n  ${goodRef}`)),
  content('empty-ref-namespace', contentSpec('    snapshotHandle: h', 'deletionPolicy: Delete\n  driver: d\n  volumeSnapshotRef:\n    name: s\n    namespace: ""')),
  content('no-ref-namespace', contentSpec('    snapshotHandle: h', 'deletionPolicy: Delete\n  driver: d\n  volumeSnapshotRef:\n    name: s')),
  content('yaml11-boolean-namespace', contentSpec('    snapshotHandle: h', 'deletionPolicy: Delete\n  driver: d\n  volumeSnapshotRef:\n    name: s\n    namespace: n')),
  content('quantity-restore-size', `${contentSpec('    snapshotHandle: h')}\nstatus:\n  restoreSize: 10Gi`),
  snapshot('yaml11-boolean-label', 'spec:\n  source:\n    persistentVolumeClaimName: p', '  labels:\n    backup: on'),
  claim('label-true', '  labels:\n    cdi.kubevirt.io/applyStorageProfile: true'),
  claim('label-quoted-true', '  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"'),
  claim('label-yes', '  labels:\n    tier: yes'),
  claim('label-null', '  labels:\n    tier:'),
  claim('annotation-number', '  annotations:\n    replicas: 3'),
  claim('annotation-string', '  annotations:\n    replicas: "3"'),
];

function manifest(c: Case, namespace: string, prefix: string): string {
  const meta = c.kind === 'VolumeSnapshotContent' ? `metadata:\n  name: ${prefix}${c.name}` : `metadata:\n  name: ${c.name}\n  namespace: ${namespace}`;
  const apiVersion = c.kind === 'PersistentVolumeClaim' ? 'v1' : 'snapshot.storage.k8s.io/v1';
  return `apiVersion: ${apiVersion}\nkind: ${c.kind}\n${meta}\n${c.meta ? `${c.meta}\n` : ''}${c.body}\n`;
}

const collection: Record<Case['kind'], (namespace: string) => string> = {
  VolumeSnapshot: (ns) => `/apis/snapshot.storage.k8s.io/v1/namespaces/${ns}/volumesnapshots`,
  VolumeSnapshotContent: () => '/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents',
  PersistentVolumeClaim: (ns) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
};

describeTargets('VolumeSnapshot, VolumeSnapshotContent and ObjectMeta validation, the rules against the API server', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
  });
  after(async () => {
    await target?.close();
  });

  test('each case: refused by a server-side dry run exactly when the rules say the API server refuses it', async (t) => {
    if (realServerOnly(t, target, 'no OpenAPI or CEL validation of custom resources')) return;
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io')) return;
    const disagreements: string[] = [];
    for (const c of cases) {
      const text = manifest(c, target.namespace, target.prefix);
      const path = collection[c.kind](target.namespace);
      const r = await conn.request({ method: 'POST', path, query: { dryRun: 'All' }, body: text, contentType: 'application/yaml', what: `dry-run create ${c.kind} ${c.name}` });
      // Refused means Invalid (422) or a body the server cannot decode (400); anything else is the test's problem.
      const refused = !r.ok;
      if (!r.ok) assert.match(r.error.message, /invalid|Invalid|must|Required|cannot/, `${c.name}: ${r.error.message}`);
      const errors = analyze([{ file: 'case.yaml', text }], defaultSettings).filter((f) => RULES.has(f.rule) && f.severity === 'error');
      if (refused !== errors.length > 0) {
        disagreements.push(`${c.name}: the server ${refused ? `refused it (${!r.ok ? r.error.message : ''})` : 'accepted it'}, the rules said ${errors.length > 0 ? errors.map((f) => f.message).join(' | ') : 'nothing'}`);
      }
    }
    assert.deepEqual(disagreements, []);
  });
});

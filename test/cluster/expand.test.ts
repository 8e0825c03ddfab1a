// "Expand VolumeClaimTemplates into PVCs" produces manifests an API server accepts: the example VM's templates
// expanded (core/volumeClaimTemplates/expand.ts), the edits applied, and every object of the result — the PVCs,
// their populator sources, the golden PVC and the rewritten VM — dry-run created through the operations engine
// (`dryRun=All`: defaulting, validation and admission run, nothing is stored), on the API emulator and on the
// real kube-apiserver (its PersistentVolumeClaim validation is Kubernetes' own).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClusterConnection } from '../../cluster/connection.js';
import { dryRun } from '../../cluster/ops/engine.js';
import type { KubeObject, Plan } from '../../core/ops/types.js';
import { defaultSettings } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';
import { connectAdmin, describeTargets, type TestTarget } from './target.js';

describeTargets('expanded VolumeClaimTemplates are accepted by the API server', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
  });
  after(async () => {
    conn?.dispose();
    await target?.close();
  });

  test('the example VM: its PVCs (rendered byte for byte), sources and the VM without volumeClaimTemplates all dry-run create', async () => {
    const ns = target.namespace;
    // The examples, moved to the test's namespace.
    const text = readFileSync('examples/vm-volumeclaimtemplates.yaml', 'utf8').replaceAll('namespace: vms', `namespace: ${ns}`);
    const ws = new Workspace();
    ws.setFile('examples/cluster-storage.yaml', readFileSync('examples/cluster-storage.yaml', 'utf8'));
    ws.setFile('vm.yaml', text);
    const expand = ws.claimActions('vm.yaml', { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } }, { settings: defaultSettings }).find((a) => a.title.endsWith('in this file'));
    assert.ok(expand, 'the expansion is offered');
    const out = TextDocument.applyEdits(TextDocument.create('file:///vm.yaml', 'yaml', 1, text), expand.edits);
    const objects = parseAllDocuments(out).map((d) => d.toJS() as KubeObject);
    assert.deepEqual(objects.map((o) => `${o.kind} ${o.metadata.name}`), [
      'VolumeImportSource cirros-import',
      'PersistentVolumeClaim fedora-golden',
      'VolumeCloneSource fedora-golden',
      'PersistentVolumeClaim cirros-rootdisk',
      'PersistentVolumeClaim cirros-data',
      'VirtualMachine cirros',
    ]);
    const rootdisk = objects[3]!['spec'] as { resources: { requests: { storage: string } }; storageClassName: string };
    assert.equal(rootdisk.resources.requests.storage, '1138166334', '1Gi + 6 % on trident-nas (Filesystem)');
    const vm = objects[5]!['spec'] as Record<string, unknown> & { template: { spec: { volumes: { persistentVolumeClaim: { claimName: string } }[] } } };
    assert.equal(vm['volumeClaimTemplates'], undefined);
    assert.deepEqual(vm.template.spec.volumes.map((v) => v.persistentVolumeClaim.claimName), ['cirros-rootdisk', 'cirros-data']);
    const plan: Plan = {
      operation: 'test-expand',
      title: 'Create the expanded manifests',
      target: { context: conn.context, server: conn.server, namespace: ns },
      phases: [{ id: 'create', title: 'Create', why: 'The expansion of the example VM.', writes: objects.map((object) => ({ action: 'create' as const, object })) }],
      checks: [],
      notes: [],
    };
    const r = await dryRun(conn, plan);
    assert.ok(r.ok, !r.ok ? r.message : '');
    assert.deepEqual(r.report.outcomes.map((o) => [o.action, o.dryRun]), objects.map(() => ['create', 'passed']));
    assert.equal((await conn.get('v1', 'PersistentVolumeClaim', ns, 'cirros-rootdisk')).ok, false, 'a dry run stores nothing');
  });
}, { kinds: ['cluster'], why: 'a real cluster may not serve CDI\'s populator sources or KubeVirt' });

// The GCP golden-image workaround, pure: detection of the seven steps on the three seeded platforms, the plan's
// phases and writes (the copied class, the HCO patch at the path of its API version with only `storage`
// changed, step 6's selector), forced steps with advice, and what stops a plan.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getAt } from '../../../core/ops/fields.js';
import { imagesStorageClass, parseSteps, planGcpImages } from '../../../core/ops/gcpImages/plan.js';
import type { KubeObject, Plan, Write } from '../../../core/ops/types.js';
import { inputsOf } from '../../gcpImages/inputs.js';
import { platforms, type PlatformName } from '../../gcpImages/platforms.js';

function planned(name: PlatformName, options = {}, edit?: (objects: Record<string, any>[]) => void) {
  const p = platforms[name]();
  edit?.(p.objects as Record<string, any>[]);
  return planGcpImages(inputsOf(p), options);
}

function planOf(r: ReturnType<typeof planned>): Plan {
  assert.ok(r.result.ok, r.result.ok ? '' : r.result.message);
  return r.result.plan;
}

const writesOf = (plan: Plan, phase: string): Write[] => plan.phases.find((p) => p.id === phase)?.writes ?? [];
const applied = (w: Write | undefined): KubeObject => {
  assert.ok(w && (w.action === 'apply' || w.action === 'create'), JSON.stringify(w));
  return w.object;
};

describe('gcp-images detection on the seeded platforms', () => {
  for (const name of Object.keys(platforms) as PlatformName[]) {
    test(`${name}: the steps and their states`, () => {
      const r = planned(name);
      assert.deepEqual(r.detection.steps.map((s) => s.state), platforms[name]().expected, r.detection.steps.map((s) => `${s.step} ${s.state}: ${s.reason}`).join('\n'));
      assert.deepEqual(r.detection.steps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7]);
      for (const s of r.detection.steps) assert.ok(s.reason.length > 20, `step ${s.step} has a reason`);
    });
  }

  test('gke: the namespace from the DataImportCrons, HCO read at v1, the regional class named', () => {
    const d = planned('gke').detection;
    assert.match(d.notes.join('\n'), /Golden-image namespace: kubevirt-os-images \(where HyperConverged's status puts 2 of its golden images\); DataImportCrons or golden-image snapshots are also in vms/);
    assert.match(d.notes.join('\n'), /read at hco\.kubevirt\.io\/v1 \(HCO 1\.18\.0\): its golden images are at spec\.workloadSources\.dataImportCronTemplates/);
    assert.match(d.notes.join('\n'), /Regional classes \(hyperdisk-ha\)/);
    assert.match(d.steps[1]!.reason, /No VolumeSnapshotClass of pd\.csi\.storage\.gke\.io is the default/);
    assert.match(d.steps[4]!.reason, /3 of 3 golden images .* \(centos-stream9-image-cron, fedora-image-cron, ubuntu-image-cron\)|3 of 3 golden images/);
  });

  test('openshift422: not needed where CDI does it, and why; verification pending on the old snapshot', () => {
    const d = planned('openshift422').detection;
    assert.match(d.steps[0]!.reason, /CDI v1\.65\.0 .* picks a snapshot-type images class and ReadWriteOnce for golden images itself/);
    assert.match(d.steps[2]!.reason, /csi-gce-pd-vsc-images has snapshot-type: images and is not the default \(OpenShift 4\.22 ships it\)/);
    assert.match(d.steps[3]!.reason, /sets cdi\.kubevirt\.io\/snapshotClassForDataImportCron on StorageProfile sp-balanced-storage itself \(now csi-gce-pd-vsc-images\)/);
    assert.match(d.steps[5]!.reason, /deletes and re-imports .* itself \(1 of 2 in openshift-virtualization-os-images are not on csi-gce-pd-vsc-images yet\)/);
    assert.equal(d.verification.state, 'pending');
    assert.deepEqual(d.verification.items.map((i) => i.state), ['passed', 'pending', 'passed']);
  });

  test('the annotations alone (a CDI with #3991 backported, OpenShift 4.21.1) make it automatic', () => {
    const r = planned('openshift421', {}, (objects) => {
      const p = objects.find((o) => o.kind === 'StorageProfile' && o.metadata.name === 'sp-balanced-storage')!;
      p.metadata.annotations = { 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron': 'true' };
    });
    assert.deepEqual(r.detection.steps.map((s) => s.state), ['not-needed', 'done', 'needed', 'not-needed', 'not-needed', 'not-needed', 'needed']);
    assert.match(r.detection.steps[0]!.reason, /carries CDI #3991 \(as OpenShift Virtualization 4\.21\.1\+ does\)/);
    const plan = planOf(r);
    assert.deepEqual(plan.phases.map((p) => p.id), ['images-snapshot-class']);
    assert.equal(plan.advice, undefined);
    assert.deepEqual(plan.checks.map((c) => c.kind), ['field', 'skipped']);
  });

  test('a v1.64 patch after v1.64.0 may carry #3991 (backported as #4018): said so, and without its annotations not automatic', () => {
    const withVersion = (version: string) =>
      planned('gke', {}, (objects) => {
        objects.find((o) => o.kind === 'CDI')!.status.observedVersion = version;
      }).detection;
    const tagged = withVersion('v1.64.0');
    assert.match(tagged.notes.join('\n'), /CDI v1\.64\.0 .*is older than v1\.65/);
    for (const version of ['v1.64.3', 'v1.64.0-12-gabcdef0']) {
      const d = withVersion(version);
      assert.match(d.notes.join('\n'), /is a v1\.64 patch newer than v1\.64\.0: it picks an images class for golden images itself only if it was cut after CDI #3991 reached release-v1\.64 \(#4018, 2026-01-26\)/, version);
      assert.doesNotMatch(d.notes.join('\n'), /older than v1\.65/, version);
      assert.deepEqual(d.steps.map((s) => s.state), tagged.steps.map((s) => s.state), version);
    }
  });

  test('a cluster without the PD driver, CDI or snapshots: blocked, every step not needed, no plan', () => {
    const r = planned('gke', {}, (objects) => {
      for (let i = objects.length - 1; i >= 0; i--) if (objects[i]!.kind === 'CSIDriver' || objects[i]!.kind === 'StorageClass') objects.splice(i, 1);
    });
    assert.match(r.detection.blocked ?? '', /no GCP PD CSI driver/);
    assert.ok(r.detection.steps.every((s) => s.state === 'not-needed'));
    assert.equal(r.result.ok, false);
  });
});

describe('gcp-images plan', () => {
  test('gke: six phases in order, the class copied without its regional and multi-writer settings', () => {
    const plan = planOf(planned('gke'));
    assert.deepEqual(plan.phases.map((p) => p.id), ['images-storage-class', 'default-snapshot-class', 'images-snapshot-class', 'storage-profile', 'golden-image-templates', 'golden-image-snapshots']);
    assert.equal(plan.target.namespace, 'kubevirt-os-images');
    assert.equal(plan.advice, undefined);
    const sc = applied(writesOf(plan, 'images-storage-class')[0]);
    assert.deepEqual(sc, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'cnv-images', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false', 'storageclass.kubevirt.io/is-default-virt-class': 'false', 'kubevirt-storage-tools.io/created-by': 'kubevirt-storage-tools gcp-images' } },
      provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'hyperdisk-balanced', 'provisioned-iops-on-create': '3000', 'provisioned-throughput-on-create': '250Mi' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    assert.match(plan.phases[0]!.why, /copies hyperdisk-balanced \(the default class for VM disks\): type, provisioned-iops-on-create, provisioned-throughput-on-create; not copied: access-mode/);
    const marked = writesOf(plan, 'default-snapshot-class');
    assert.deepEqual(marked, [{ action: 'patch', target: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', name: 'pd-snapshots' }, patchType: 'merge', patch: { metadata: { annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } } } }]);
    const vsc = applied(writesOf(plan, 'images-snapshot-class')[0]);
    assert.deepEqual([vsc.metadata.name, vsc['parameters'], vsc.metadata.annotations?.['snapshot.storage.kubernetes.io/is-default-class'], vsc['driver']], ['cnv-images', { 'snapshot-type': 'images' }, 'false', 'pd.csi.storage.gke.io']);
    const profile = applied(writesOf(plan, 'storage-profile')[0]);
    assert.deepEqual(profile, { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'cnv-images' }, spec: { claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }], snapshotClass: 'cnv-images' } }, 'no profile yet: applied (CDI may create it first; apply then updates it)');
    const deletes = writesOf(plan, 'golden-image-snapshots');
    assert.deepEqual(deletes.map((w) => w.action === 'deleteSelected' && [w.kind, w.namespace, w.labelSelector, w.undo.kind]), [['VolumeSnapshot', 'kubevirt-os-images', 'cdi.kubevirt.io/dataImportCron in (centos-stream9-image-cron,fedora-image-cron,ubuntu-image-cron)', 'irreversible']]);
  });

  test('gke: the HyperConverged patch is at the v1 path; pre-defined images are copied with only storage changed', () => {
    const p = platforms.gke();
    const hco = p.objects.find((o) => o['kind'] === 'HyperConverged') as Record<string, any>;
    const plan = planOf(planGcpImages(inputsOf(p)));
    const w = writesOf(plan, 'golden-image-templates')[0]!;
    assert.ok(w.action === 'patch' && w.patchType === 'merge');
    assert.deepEqual(w.target, { apiVersion: 'hco.kubevirt.io/v1', kind: 'HyperConverged', namespace: 'kubevirt-hyperconverged', name: 'kubevirt-hyperconverged' });
    assert.deepEqual(Object.keys(w.patch as object), ['spec']);
    assert.deepEqual(Object.keys((w.patch as any).spec), ['workloadSources']);
    const list = getAt(w.patch, ['spec', 'workloadSources', 'dataImportCronTemplates']) as any[];
    assert.deepEqual(list.map((t) => t.metadata.name), ['ubuntu-image-cron', 'fedora-image-cron', 'centos-stream9-image-cron']);
    for (const t of list) assert.equal(t.spec.template.spec.storage.storageClassName, 'cnv-images');
    for (const copy of list.slice(1)) {
      const original = hco.status.dataImportCronTemplates.find((s: any) => s.metadata.name === copy.metadata.name);
      const { storageClassName, ...storage } = copy.spec.template.spec.storage;
      assert.equal(storageClassName, 'cnv-images');
      assert.deepEqual({ ...copy.spec, template: { ...copy.spec.template, spec: { ...copy.spec.template.spec, storage } } }, original.spec, 'only storage.storageClassName differs from the status entry');
      assert.deepEqual(copy.metadata, { name: original.metadata.name, namespace: 'kubevirt-os-images' }, 'the namespace kept: HCO ignores commonBootImageNamespace for modified images');
    }
  });

  test('openshift421: the HyperConverged patch is at the v1beta1 path; a disabled image stays disabled', () => {
    const plan = planOf(planned('openshift421'));
    assert.deepEqual(plan.phases.map((p) => p.id), ['images-storage-class', 'images-snapshot-class', 'storage-profile', 'golden-image-templates', 'golden-image-snapshots']);
    const w = writesOf(plan, 'golden-image-templates')[0]!;
    assert.ok(w.action === 'patch');
    assert.equal(w.target.apiVersion, 'hco.kubevirt.io/v1beta1');
    assert.equal((w.patch as any).spec.workloadSources, undefined);
    const list = (w.patch as any).spec.dataImportCronTemplates as any[];
    assert.deepEqual(list.map((t) => [t.metadata.name, t.spec?.template.spec.storage.storageClassName ?? null, t.metadata.annotations?.['dataimportcrontemplate.kubevirt.io/enable'] ?? null]), [
      ['centos-stream9-image-cron', null, 'false'],
      ['rhel9-image-cron', 'cnv-images', null],
      ['fedora-image-cron', 'cnv-images', null],
    ]);
    const sc = applied(writesOf(plan, 'images-storage-class')[0]);
    assert.deepEqual(sc['parameters'], { type: 'hyperdisk-balanced', 'storage-pools': 'projects/p1/zones/us-central1-a/storagePools/pool1' });
  });

  test('openshift422: nothing to do; a forced step brings what it builds on, with advice; step 5 then patches the v1 path', () => {
    const none = planOf(planned('openshift422'));
    assert.deepEqual([none.phases.length, none.checks.length], [0, 0]);
    assert.match(none.title, /nothing to do/);
    const forced = planOf(planned('openshift422', { steps: '5' }));
    assert.deepEqual(forced.phases.map((p) => p.id), ['images-storage-class', 'storage-profile', 'golden-image-templates']);
    assert.match(forced.advice ?? '', /The platform does these steps itself: step 1: CDI v1\.65\.0/);
    const w = writesOf(forced, 'golden-image-templates')[0]!;
    assert.ok(w.action === 'patch');
    assert.deepEqual(Object.keys((w.patch as any).spec.workloadSources), ['dataImportCronTemplates']);
    const sixth = planOf(planned('openshift422', { steps: 'golden-image-snapshots' }));
    assert.deepEqual(sixth.phases.map((p) => p.id), ['golden-image-snapshots'], 'step 3 is done already, so only step 6');
    assert.deepEqual(writesOf(sixth, 'golden-image-snapshots').map((w) => w.action === 'deleteSelected' && w.labelSelector), ['cdi.kubevirt.io/dataImportCron in (fedora-image-cron)']);
  });

  test('--steps: numbers, ids, all; anything else is refused', () => {
    assert.deepEqual([...(parseSteps('4') as { steps: Set<string> }).steps].sort(), ['images-snapshot-class', 'images-storage-class', 'storage-profile']);
    assert.equal((parseSteps('all') as { steps: Set<string> }).steps.size, 6);
    const bad = parseSteps('7');
    assert.ok(!bad.ok && /--steps takes step numbers 1-6/.test(bad.message));
    assert.match((planned('gke', { steps: 'nine' }).result as { message: string }).message, /not "nine"/);
  });

  test('an existing images StorageClass that is regional cannot be used (its parameters are immutable): the plan says so', () => {
    const r = planned('gke', {}, (objects) => objects.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'cnv-images' }, provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'hyperdisk-balanced', 'replication-type': 'regional-pd' } }));
    assert.equal(r.result.ok, false);
    assert.match((r.result as { message: string }).message, /StorageClass cnv-images makes regional disks \(replication-type: regional-pd\).*cannot be changed/);
  });

  test('a class already set up by hand under another name is found by its StorageProfile and counts as done', () => {
    const r = planned('openshift421', {}, (objects) => {
      objects.push(
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'golden' }, provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'hyperdisk-balanced' } },
        { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'images' }, driver: 'pd.csi.storage.gke.io', deletionPolicy: 'Delete', parameters: { 'snapshot-type': 'images' } },
        { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'golden' }, spec: { claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }], snapshotClass: 'images' } },
      );
    });
    assert.deepEqual(r.detection.steps.slice(0, 4).map((s) => s.state), ['done', 'done', 'done', 'done']);
    assert.equal(r.situation.className, 'golden');
    assert.match(r.detection.steps[0]!.reason, /StorageClass golden exists .*its StorageProfile already names images class images/);
  });

  test('two default standard snapshot classes: one is kept, the other set to "false"; an images class marked default is unmarked', () => {
    const r = planned('openshift421', {}, (objects) => {
      objects.push(
        { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'another', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } }, driver: 'pd.csi.storage.gke.io', deletionPolicy: 'Delete' },
        { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'csi-gce-pd-vsc-images', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } }, driver: 'pd.csi.storage.gke.io', deletionPolicy: 'Delete', parameters: { 'snapshot-type': 'images' } },
      );
    });
    const plan = planOf(r);
    assert.match(r.detection.steps[1]!.reason, /2 VolumeSnapshotClasses .* are marked default \(another, csi-gce-pd-vsc\).*keeps another/);
    assert.deepEqual(writesOf(plan, 'default-snapshot-class').map((w) => w.action === 'patch' && [w.target.name, (w.patch as any).metadata.annotations['snapshot.storage.kubernetes.io/is-default-class']]), [['csi-gce-pd-vsc', 'false']]);
    assert.deepEqual(writesOf(plan, 'images-snapshot-class').map((w) => w.action === 'patch' && [w.target.name, (w.patch as any).metadata.annotations['snapshot.storage.kubernetes.io/is-default-class']]), [['csi-gce-pd-vsc-images', 'false']]);
  });

  test('a hyperdisk-balanced-high-availability source becomes a zonal hyperdisk-balanced copy', () => {
    const { object, dropped } = imagesStorageClass({ metadata: { name: 'ha' }, provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'hyperdisk-balanced-high-availability', 'replication-type': 'regional-pd', labels: 'team=vm' } }, 'cnv-images');
    assert.deepEqual(object['parameters'], { type: 'hyperdisk-balanced', labels: 'team=vm' });
    assert.deepEqual(dropped, ['replication-type', 'type hyperdisk-balanced-high-availability (regional; hyperdisk-balanced instead)']);
  });

  test('no HyperConverged: the DataImportCrons of the golden-image namespace are patched directly', () => {
    const r = planned('openshift421', {}, (objects) => {
      const i = objects.findIndex((o) => o.kind === 'HyperConverged');
      objects.splice(i, 1);
    });
    const w = writesOf(planOf(r), 'golden-image-templates');
    assert.deepEqual(w.map((x) => x.action === 'patch' && [x.target.kind, x.target.name, getAt(x.patch, ['spec', 'template', 'spec', 'storage', 'storageClassName'])]), [
      ['DataImportCron', 'rhel9-image-cron', 'cnv-images'],
      ['DataImportCron', 'fedora-image-cron', 'cnv-images'],
    ]);
    assert.match(r.detection.steps[4]!.reason, /There is no HyperConverged CR: the plan points 2 DataImportCrons/);
  });

  test('the golden-image namespace without HCO: the DataImportCrons, then the well-known namespace, and never a stray labelled snapshot\'s', () => {
    const withoutHco = (drop: string[]) => planned('gke', {}, (objects) => {
      for (let i = objects.length - 1; i >= 0; i--) if (drop.includes(objects[i]!.kind)) objects.splice(i, 1);
    }).situation.golden;
    assert.deepEqual(withoutHco(['HyperConverged']), { namespace: 'kubevirt-os-images', why: 'where 3 DataImportCrons are', others: ['vms'] });
    // No cron and no golden-image snapshot left (just deleted for the re-import): only the decoy in vms is labelled.
    const bare = planned('gke', {}, (objects) => {
      for (let i = objects.length - 1; i >= 0; i--) if (['HyperConverged', 'DataImportCron'].includes(objects[i]!.kind) || (objects[i]!.kind === 'VolumeSnapshot' && objects[i]!.metadata.namespace === 'kubevirt-os-images')) objects.splice(i, 1);
    }).situation.golden;
    assert.deepEqual([bare.namespace, bare.why], ['kubevirt-os-images', 'the golden-image namespace that exists (no DataImportCron found)']);
  });

  test('the golden-image namespace: the option, then HCO commonBootImageNamespace at its version path', () => {
    assert.equal(planned('gke', { namespace: 'elsewhere' }).situation.golden.namespace, 'elsewhere');
    const r = planned('openshift421', {}, (objects) => {
      (objects.find((o) => o.kind === 'HyperConverged') as any).spec.commonBootImageNamespace = 'golden-ns';
    });
    assert.deepEqual([r.situation.golden.namespace, r.situation.golden.why], ['golden-ns', 'HyperConverged spec.commonBootImageNamespace']);
    assert.equal(r.detection.steps[5]!.state, 'not-needed', 'no golden-image snapshot in golden-ns');
  });
});

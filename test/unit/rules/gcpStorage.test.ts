// The GCP PD, snapshot-class, StorageProfile and HyperConverged rules on YAML: each mistake flagged where it is
// written, the clean form not flagged, and each fix re-analysed to show its finding gone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../../core/types.js';
import { applyFix, docs, lint, one, only, textAt } from './helpers.js';

const PD = 'pd.csi.storage.gke.io';

const sc = (name: string, params: string, annotations = '') => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}provisioner: ${PD}
parameters:
${params}volumeBindingMode: WaitForFirstConsumer
`;

const vsc = (name: string, params: string, isDefault?: boolean, driver = PD) => `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata:
  name: ${name}
${isDefault === undefined ? '' : `  annotations:\n    snapshot.storage.kubernetes.io/is-default-class: "${isDefault}"\n`}driver: ${driver}
deletionPolicy: Delete
${params ? `parameters:\n${params}` : ''}`;

const profile = (name: string, snapshotClass: string) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: ${name}
spec:
  snapshotClass: ${snapshotClass}
`;

/** Applies the preferred fix and lints again: the rule is quiet. */
function fixed(text: string, f: Finding, extra: Record<string, string> = {}): string {
  const fix = f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];
  assert.ok(fix, `${f.rule} has a fix`);
  const after = applyFix(text, fix);
  assert.deepEqual(only(lint(after, {}, extra), f.rule), [], after);
  return after;
}

describe('gcp-pd-unknown-parameter and gcp-pd-invalid-value', () => {
  test('an unknown StorageClass key: at the key, with the rename when it is a near miss', () => {
    const text = sc('hd', '  type: hyperdisk-balanced\n  replication_type: none\n');
    const f = one(lint(text), 'gcp-pd-unknown-parameter');
    assert.equal(textAt(text, f), 'replication_type');
    assert.match(f.message, /parameters contains invalid option "replication_type"\): did you mean "replication-type"\?/);
    assert.match(fixed(text, f), /\n {2}replication-type: none\n/);
  });

  test('an unknown VolumeSnapshotClass key (a StorageClass one), no fix without a near miss', () => {
    const text = vsc('snap', '  snapshot-type: images\n  disk-type: pd-ssd\n');
    const f = one(lint(text), 'gcp-pd-unknown-parameter');
    assert.equal(textAt(text, f), 'disk-type');
    assert.equal(f.fixes, undefined);
  });

  test('snapshot-type Images, type pd-fast, throughput in bytes: at the value; the fixes', () => {
    const text = docs(vsc('snap', '  snapshot-type: Images\n'), sc('hd', '  type: pd-fast\n  provisioned-throughput-on-create: "150"\n'));
    const fs = only(lint(text), 'gcp-pd-invalid-value');
    assert.deepEqual(fs.map((f) => [textAt(text, f), f.severity]), [['Images', 'error'], ['pd-fast', 'error'], ['"150"', 'warning']]);
    const afterImages = applyFix(text, fs[0]!.fixes![0]!);
    assert.match(afterImages, /snapshot-type: images\n/);
    assert.match(applyFix(text, fs[2]!.fixes![0]!), /provisioned-throughput-on-create: 150Mi\n/);
  });

  test('other drivers are not checked; a clean PD class is quiet', () => {
    assert.deepEqual(only(lint(vsc('x', '  whatever: 1\n', undefined, 'csi.example.com')), 'gcp-pd-unknown-parameter'), []);
    const clean = sc('hd', '  type: hyperdisk-balanced\n  provisioned-iops-on-create: "3000"\n  provisioned-throughput-on-create: 150Mi\n  csi.storage.k8s.io/fstype: ext4\n');
    assert.deepEqual(lint(clean).filter((f) => f.rule.startsWith('gcp-')), []);
  });
});

describe('snapshotclass-spec-field and snapshot-api-unserved', () => {
  test('a VolumeSnapshotClass with spec: flagged at spec; the fix moves its fields up', () => {
    const text = `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata:
  name: images
spec:
  driver: ${PD}
  deletionPolicy: Delete
  parameters:
    snapshot-type: images
`;
    const f = one(lint(text), 'snapshotclass-spec-field');
    assert.equal(textAt(text, f), 'spec');
    assert.match(f.message, /The API server refuses it: driver and deletionPolicy are required at the top level/);
    const after = fixed(text, f);
    assert.equal(after, `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: images\ndriver: ${PD}\ndeletionPolicy: Delete\nparameters:\n  snapshot-type: images\n`);
  });

  test('v1beta1 (recognised) and v1alpha1 (not): flagged at apiVersion; the fix says v1', () => {
    const text = docs(vsc('a', '').replace('/v1\n', '/v1beta1\n'), `apiVersion: snapshot.storage.k8s.io/v1alpha1\nkind: VolumeSnapshot\nmetadata:\n  name: s\nspec: {}\n`);
    const fs = only(lint(text), 'snapshot-api-unserved');
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['snapshot.storage.k8s.io/v1beta1', 'snapshot.storage.k8s.io/v1alpha1']);
    fixed(text.split('---\n')[0]!, only(lint(text.split('---\n')[0]!), 'snapshot-api-unserved')[0]!);
    assert.deepEqual(only(lint(vsc('a', '')), 'snapshot-api-unserved'), []);
  });
});

describe('StorageProfile snapshot classes', () => {
  test('a missing class: a warning naming the known ones when they come from the files; info when none is known', () => {
    const text = profile('hd', 'cnv-images');
    const f = one(lint(text, {}, { 'classes.yaml': vsc('csi-gce-pd-vsc', '', true) }), 'storageprofile-snapshotclass-missing');
    assert.equal(textAt(text, f), 'cnv-images');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /Known classes: csi-gce-pd-vsc\./);
    assert.equal(one(lint(text), 'storageprofile-snapshotclass-missing').severity, 'info');
    assert.deepEqual(only(lint(text, {}, { 'classes.yaml': vsc('cnv-images', '  snapshot-type: images\n') }), 'storageprofile-snapshotclass-missing'), []);
  });

  test('the classes a message names are in name order, whatever order the files were read in (editor and CLI agree)', () => {
    const text = profile('hd', 'cnv-image');
    const classes = { 'b.yaml': vsc('zz-last', '', true), 'a.yaml': docs(vsc('mm-middle', '', true), vsc('aa-first', '', true)) };
    const reversed = Object.fromEntries(Object.entries(classes).reverse());
    const messages = (extra: Record<string, string>, rule: string, of = text) => only(lint(of, {}, extra), rule).map((f) => f.message);
    assert.match(messages(classes, 'storageprofile-snapshotclass-missing')[0]!, /Known classes: aa-first, mm-middle, zz-last\./);
    assert.deepEqual(messages(reversed, 'storageprofile-snapshotclass-missing'), messages(classes, 'storageprofile-snapshotclass-missing'));
    const images = vsc('images', '  snapshot-type: images\n', true);
    assert.match(messages(classes, 'gcp-images-class-default', images)[0]!, /with aa-first, mm-middle, zz-last it makes 4 defaults/);
    assert.deepEqual(messages(reversed, 'gcp-images-class-default', images), messages(classes, 'gcp-images-class-default', images));
    assert.match(messages(classes, 'multiple-default-snapshot-classes', images)[0]!, /and so are aa-first \(in a\.yaml\), mm-middle \(in a\.yaml\), zz-last \(in b\.yaml\)/);
    assert.deepEqual(messages(reversed, 'multiple-default-snapshot-classes', images), messages(classes, 'multiple-default-snapshot-classes', images));
  });

  test("another driver's class: flagged; the class's own driver is quiet", () => {
    const text = docs(profile('hd', 'ceph-snap'), sc('hd', '  type: hyperdisk-balanced\n'), vsc('ceph-snap', '', undefined, 'rbd.csi.ceph.com'));
    const f = one(lint(text), 'storageprofile-snapshotclass-driver');
    assert.match(f.message, /of driver rbd\.csi\.ceph\.com, but StorageClass hd .* is provisioned by pd\.csi\.storage\.gke\.io/);
    assert.deepEqual(only(lint(docs(profile('hd', 'pd-snap'), sc('hd', '  type: hyperdisk-balanced\n'), vsc('pd-snap', ''))), 'storageprofile-snapshotclass-driver'), []);
  });
});

describe('gcp-pd-images-regional', () => {
  const regional = sc('regional', '  type: hyperdisk-balanced\n  replication-type: regional-pd\n', '    storageclass.kubevirt.io/is-default-virt-class: "true"\n');
  const images = vsc('cnv-images', '  snapshot-type: images\n');
  // One golden image, fedora-image-cron, imported onto StorageClass regional.
  const hco = `apiVersion: hco.kubevirt.io/v1
kind: HyperConverged
metadata:
  name: kubevirt-hyperconverged
  namespace: kubevirt-hyperconverged
spec:
  workloadSources:
    dataImportCronTemplates:
      - metadata:
          name: fedora-image-cron
        spec:
          schedule: "0 */12 * * *"
          managedDataSource: fedora
          template:
            spec:
              storage:
                storageClassName: regional
`;

  test('a StorageProfile of a regional class naming an images class: at its snapshotClass', () => {
    const text = docs(regional, images, profile('regional', 'cnv-images'));
    const f = one(lint(text), 'gcp-pd-images-regional');
    assert.equal(textAt(text, f), 'cnv-images');
    assert.match(f.message, /Cannot create backup type images for regional disk/);
    assert.deepEqual(only(lint(docs(sc('zonal', '  type: hyperdisk-balanced\n'), images, profile('zonal', 'cnv-images'))), 'gcp-pd-images-regional'), []);
  });

  test('on CDI v1.65+ a default regional class is matched to the images class by CDI itself: a warning at the regional parameter', () => {
    const text = docs(regional, images);
    const f = one(lint(text, { cdiVersion: '1.66' }), 'gcp-pd-images-regional');
    assert.equal([textAt(text, f), f.severity].join(' '), 'regional-pd warning');
    assert.match(f.message, /CDI v1\.66 from setting .* matches it for the driver's classes itself/);
    assert.deepEqual(only(lint(text, { cdiVersion: '1.64' }), 'gcp-pd-images-regional'), [], 'before v1.65 CDI picks nothing by itself');
  });

  test('a CDI v1.64 patch after v1.64.0 may match it itself (#3991 backported as #4018): a warning that says may', () => {
    const text = docs(regional, images);
    for (const version of ['1.64.2', 'v1.64.0-3-gabcdef0']) {
      const f = one(lint(text, { cdiVersion: version }), 'gcp-pd-images-regional');
      assert.equal([textAt(text, f), f.severity].join(' '), 'regional-pd warning', version);
      assert.match(f.message, /golden images imported onto it may be snapshotted with images class cnv-images .*matches it for the driver's classes itself if it carries CDI #3991 \(backported to release-v1\.64 as #4018, 2026-01-26, after v1\.64\.0\)/, version);
    }
    assert.deepEqual(only(lint(text, { cdiVersion: '1.64.0' }), 'gcp-pd-images-regional'), [], 'v1.64.0 itself has no #3991');
    const g = only(lint(docs(hco, regional, images), { cdiVersion: '1.64.2' }), 'gcp-pd-images-regional').find((x) => /Golden image/.test(x.message))!;
    assert.equal(g.severity, 'warning');
    assert.match(g.message, /and may be snapshotted with images class cnv-images/);
    const sure = only(lint(docs(hco, regional, images), { cdiVersion: '1.66' }), 'gcp-pd-images-regional').find((x) => /Golden image/.test(x.message))!;
    assert.equal(sure.severity, 'error');
    assert.match(sure.message, /, and snapshotted with images class cnv-images/);
  });

  test('HyperConverged golden images on a regional class whose profile uses images', () => {
    const text = docs(hco, regional, images, profile('regional', 'cnv-images'));
    const fs = only(lint(text), 'gcp-pd-images-regional');
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['regional', 'cnv-images']);
    assert.match(fs[0]!.message, /Golden image fedora-image-cron is imported onto StorageClass regional/);
  });
});

describe('gcp-pd-hyperdisk-access-mode', () => {
  const extreme = sc('extreme', '  type: hyperdisk-extreme\n');
  test('ReadWriteMany on hyperdisk-extreme: PVC, DataVolume storage, VM template, StorageProfile sets; at the mode', () => {
    const pvc = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n  storageClassName: extreme\n  accessModes: [ReadWriteOnce, ReadWriteMany]\n  resources:\n    requests:\n      storage: 1Gi\n`;
    const dv = `apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: d\nspec:\n  storage:\n    storageClassName: extreme\n    accessModes:\n      - ReadOnlyMany\n`;
    const vm = `apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm\nspec:\n  dataVolumeTemplates:\n    - metadata:\n        name: root\n      spec:\n        storage:\n          storageClassName: extreme\n          accessModes: [ReadWriteMany]\n`;
    const sp = `apiVersion: cdi.kubevirt.io/v1beta1\nkind: StorageProfile\nmetadata:\n  name: extreme\nspec:\n  claimPropertySets:\n    - accessModes: [ReadWriteMany]\n      volumeMode: Block\n`;
    const text = docs(extreme, pvc, dv, vm, sp);
    const fs = only(lint(text), 'gcp-pd-hyperdisk-access-mode');
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['ReadWriteMany', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteMany']);
    assert.match(fs[0]!.message, /Hyperdisk Throughput and Extreme disks only support ReadWriteOnce access mode/);
  });

  test('a PVC that names no class gets the default one; ReadWriteMany on hyperdisk-balanced is fine; ReadOnlyMany on HdHA is not', () => {
    const def = sc('tput', '  type: hyperdisk-throughput\n', '    storageclass.kubernetes.io/is-default-class: "true"\n');
    const pvc = (cls: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n${cls}  accessModes: [ReadWriteMany]\n`;
    const f = one(lint(docs(def, pvc(''))), 'gcp-pd-hyperdisk-access-mode');
    assert.match(f.message, /\(the default class: it names none\)/);
    assert.deepEqual(only(lint(docs(sc('hdb', '  type: hyperdisk-balanced\n'), pvc('  storageClassName: hdb\n'))), 'gcp-pd-hyperdisk-access-mode'), []);
    const ha = docs(sc('ha', '  type: hyperdisk-balanced-high-availability\n'), pvc('  storageClassName: ha\n').replace('ReadWriteMany', 'ReadOnlyMany'));
    assert.match(one(lint(ha), 'gcp-pd-hyperdisk-access-mode').message, /Invalid access mode for disk type hyperdisk-balanced-high-availability/);
  });

  test('a HyperConverged golden image on a hyperdisk-throughput class, which is defined after it; pd-ssd and other drivers are quiet', () => {
    const hco = `apiVersion: hco.kubevirt.io/v1beta1\nkind: HyperConverged\nmetadata:\n  name: kubevirt-hyperconverged\nspec:\n  dataImportCronTemplates:\n    - metadata:\n        name: fedora\n      spec:\n        template:\n          spec:\n            storage:\n              storageClassName: tput\n              accessModes: [ReadWriteMany]\n`;
    const text = docs(hco, sc('tput', '  type: hyperdisk-throughput\n'));
    assert.deepEqual(only(lint(text), 'gcp-pd-hyperdisk-access-mode').map((f) => textAt(text, f)), ['ReadWriteMany']);
    // A PD type that takes the mode, or the type's name under another driver: nothing.
    assert.deepEqual(only(lint(docs(hco.replace('tput', 'ssd'), sc('ssd', '  type: pd-ssd\n'))), 'gcp-pd-hyperdisk-access-mode'), []);
    const other = sc('tput', '  type: hyperdisk-throughput\n').replace(PD, 'example.com/csi');
    assert.ok(!other.includes(PD));
    assert.deepEqual(only(lint(docs(hco, other)), 'gcp-pd-hyperdisk-access-mode'), []);
  });
});

describe('gcp-images-class-default and multiple-default-snapshot-classes', () => {
  test('cnv-images marked default (both annotations); the fix sets "false"', () => {
    const text = sc('cnv-images', '  type: hyperdisk-balanced\n', '    storageclass.kubernetes.io/is-default-class: "true"\n    storageclass.kubevirt.io/is-default-virt-class: "true"\n');
    const fs = only(lint(text), 'gcp-images-class-default');
    assert.equal(fs.length, 2);
    const once = applyFix(text, fs[0]!.fixes![0]!);
    assert.match(once, /is-default-class: "false"\n/);
    fixed(once, one(lint(once), 'gcp-images-class-default'));
  });

  test('a golden-image class by its StorageProfile, whatever its name; another default class is quiet', () => {
    const golden = sc('golden', '  type: hyperdisk-balanced\n', '    storageclass.kubevirt.io/is-default-virt-class: "true"\n');
    const text = docs(golden, vsc('img', '  snapshot-type: images\n'), profile('golden', 'img'));
    assert.match(one(lint(text), 'gcp-images-class-default').message, /its StorageProfile snapshots with images class img/);
    assert.deepEqual(only(lint(sc('hd', '  type: hyperdisk-balanced\n', '    storageclass.kubevirt.io/is-default-virt-class: "true"\n')), 'gcp-images-class-default'), []);
  });

  test('an images VolumeSnapshotClass marked default, beside the driver\'s default: both rules', () => {
    const text = docs(vsc('csi-gce-pd-vsc', '', true), vsc('csi-gce-pd-vsc-images', '  snapshot-type: images\n', true));
    const findings = lint(text);
    assert.match(one(findings, 'gcp-images-class-default').message, /with csi-gce-pd-vsc it makes 2 defaults for pd\.csi\.storage\.gke\.io/);
    assert.deepEqual(only(findings, 'multiple-default-snapshot-classes').map((f) => f.severity), ['error', 'error']);
    assert.deepEqual(only(lint(docs(vsc('csi-gce-pd-vsc', '', true), vsc('csi-gce-pd-vsc-images', '  snapshot-type: images\n', false))), 'multiple-default-snapshot-classes'), []);
  });
});

describe('hco-field-path', () => {
  test('v1 with the v1beta1 paths: flagged at each key with its v1 path', () => {
    const text = `apiVersion: hco.kubevirt.io/v1
kind: HyperConverged
metadata:
  name: kubevirt-hyperconverged
spec:
  dataImportCronTemplates: []
  filesystemOverhead:
    global: "0.08"
  workloadSources:
    commonBootImageNamespace: golden
`;
    const fs = only(lint(text), 'hco-field-path');
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['dataImportCronTemplates', 'filesystemOverhead']);
    assert.match(fs[0]!.message, /spec\.dataImportCronTemplates is spec\.workloadSources\.dataImportCronTemplates/);
  });

  test('v1beta1 with the v1 sections: flagged, and the fix changes apiVersion when nothing is at a v1beta1 path', () => {
    const text = `apiVersion: hco.kubevirt.io/v1beta1
kind: HyperConverged
metadata:
  name: kubevirt-hyperconverged
spec:
  workloadSources:
    dataImportCronTemplates: []
  storage:
    vmStateStorageClass: hd
`;
    const fs = only(lint(text), 'hco-field-path');
    assert.deepEqual(fs.map((f) => textAt(text, f)), ['workloadSources', 'storage']);
    assert.match(fs[1]!.message, /In v1beta1 it is spec\.vmStateStorageClass/);
    const after = fixed(text, fs[0]!);
    assert.match(after, /^apiVersion: hco\.kubevirt\.io\/v1\n/);
    assert.deepEqual(only(lint(`apiVersion: hco.kubevirt.io/v1beta1\nkind: HyperConverged\nmetadata:\n  name: h\nspec:\n  dataImportCronTemplates: []\n`), 'hco-field-path'), []);
  });
});

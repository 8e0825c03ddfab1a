/**
 * What an object names and what it defines, read through an ObjectView (core/kinds/view.ts), so that the same
 * code reads a YAML document and a live object. Paths are relative to the object (prefix a List item's base).
 *
 * References: a claim's `dataSource`/`dataSourceRef` (a VolumeSnapshot it restores, a PVC it clones) and
 * `storageClassName`; a VolumeSnapshot's source PVC, content and class; a content's snapshot; a StorageClass's
 * StorageProfile (same name) and back; a VM's volumes (DataVolume or claim) and its dataVolumeTemplates (as
 * DataVolumes: `source.snapshot`, `source.pvc`, `sourceRef`); a DataSource's source; a VolumeResize's
 * StatefulSet and volumeClaimTemplates; KubeVirt's snapshot, content and restore chain.
 */
import { kindOf, type KindName, type ObjectView } from '../kinds/index.js';
import { keyOf, type ObjectKey } from './keys.js';

export type Path = (string | number)[];

/** Why an object names another: `restores` a VolumeSnapshot, `clones` a PVC, uses a `class`, ... */
export type ReferenceRole =
  | 'restores'
  | 'clones'
  | 'source'
  | 'class'
  | 'profile'
  | 'volume'
  | 'content'
  | 'snapshot'
  | 'statefulSet'
  | 'template'
  | 'virtualMachine'
  | 'volumeName';

export interface ObjectReference {
  /** The value that holds the name, relative to the object. */
  path: Path;
  target: ObjectKey;
  role: ReferenceRole;
}

/** A name an object defines: its own (at `metadata.name`) or a DataVolume of a VM's dataVolumeTemplates. */
export interface Definition {
  path: Path;
  key: ObjectKey;
}

class Collector {
  readonly refs: ObjectReference[] = [];
  constructor(readonly namespace: string) {}

  add(path: Path, kind: KindName, name: string | undefined, role: ReferenceRole, namespace?: string, member?: string): void {
    if (!name) return;
    this.refs.push({ path, target: keyOf(kind, name, namespace || this.namespace, member), role });
  }
}

/** `spec.dataSource` / `spec.dataSourceRef` / `spec.storageClassName` / `spec.volumeName` of a PVC spec at `at`. */
function claimSpec(v: ObjectView, at: Path, out: Collector): void {
  for (const via of ['dataSource', 'dataSourceRef'] as const) {
    const kind = v.text('spec', via, 'kind');
    const target = kind === undefined ? undefined : kindOf(v.text('spec', via, 'apiGroup') ?? '', kind);
    if (!target) continue;
    const role: ReferenceRole = target.kind === 'VolumeSnapshot' ? 'restores' : target.kind === 'PersistentVolumeClaim' ? 'clones' : 'source';
    out.add([...at, 'spec', via, 'name'], target.kind, v.text('spec', via, 'name'), role, via === 'dataSourceRef' ? v.text('spec', via, 'namespace') : undefined);
  }
  out.add([...at, 'spec', 'storageClassName'], 'StorageClass', v.text('spec', 'storageClassName'), 'class');
  out.add([...at, 'spec', 'volumeName'], 'PersistentVolume', v.text('spec', 'volumeName'), 'volumeName');
}

/** A DataVolume spec at `at` (a DataVolume, a VM's dataVolumeTemplate, a DataImportCron's template). */
function dataVolumeSpec(v: ObjectView, at: Path, out: Collector): void {
  out.add([...at, 'spec', 'source', 'snapshot', 'name'], 'VolumeSnapshot', v.text('spec', 'source', 'snapshot', 'name'), 'restores', v.text('spec', 'source', 'snapshot', 'namespace'));
  out.add([...at, 'spec', 'source', 'pvc', 'name'], 'PersistentVolumeClaim', v.text('spec', 'source', 'pvc', 'name'), 'clones', v.text('spec', 'source', 'pvc', 'namespace'));
  if ((v.text('spec', 'sourceRef', 'kind') ?? 'DataSource') === 'DataSource') {
    out.add([...at, 'spec', 'sourceRef', 'name'], 'DataSource', v.text('spec', 'sourceRef', 'name'), 'source', v.text('spec', 'sourceRef', 'namespace'));
  }
  for (const field of ['storage', 'pvc'] as const) {
    out.add([...at, 'spec', field, 'storageClassName'], 'StorageClass', v.text('spec', field, 'storageClassName'), 'class');
    for (const via of ['dataSource', 'dataSourceRef'] as const) {
      const kind = v.text('spec', field, via, 'kind');
      const target = kind === undefined ? undefined : kindOf(v.text('spec', field, via, 'apiGroup') ?? '', kind);
      if (target) out.add([...at, 'spec', field, via, 'name'], target.kind, v.text('spec', field, via, 'name'), target.kind === 'VolumeSnapshot' ? 'restores' : 'source');
    }
  }
}

function each(v: ObjectView, path: string[], at: Path, visit: (item: ObjectView, itemPath: Path) => void): void {
  v.items(...path).forEach((item, i) => visit(item, [...at, ...path, i]));
}

/** The references of one object of `kind`; `namespace` is its own (the default applied), for names without one. */
export function referencesOf(kind: KindName, v: ObjectView, namespace: string): ObjectReference[] {
  const out = new Collector(namespace);
  const name = v.name;
  switch (kind) {
    case 'PersistentVolumeClaim':
      claimSpec(v, [], out);
      break;
    case 'StatefulSet':
      each(v, ['spec', 'volumeClaimTemplates'], [], (t, p) => claimSpec(t, p, out));
      break;
    case 'VolumeSnapshot':
      out.add(['spec', 'source', 'persistentVolumeClaimName'], 'PersistentVolumeClaim', v.text('spec', 'source', 'persistentVolumeClaimName'), 'source');
      out.add(['spec', 'source', 'volumeSnapshotContentName'], 'VolumeSnapshotContent', v.text('spec', 'source', 'volumeSnapshotContentName'), 'content');
      out.add(['spec', 'volumeSnapshotClassName'], 'VolumeSnapshotClass', v.text('spec', 'volumeSnapshotClassName'), 'class');
      out.add(['status', 'boundVolumeSnapshotContentName'], 'VolumeSnapshotContent', v.text('status', 'boundVolumeSnapshotContentName'), 'content');
      break;
    case 'VolumeSnapshotContent':
      out.add(['spec', 'volumeSnapshotRef', 'name'], 'VolumeSnapshot', v.text('spec', 'volumeSnapshotRef', 'name'), 'snapshot', v.text('spec', 'volumeSnapshotRef', 'namespace'));
      out.add(['spec', 'volumeSnapshotClassName'], 'VolumeSnapshotClass', v.text('spec', 'volumeSnapshotClassName'), 'class');
      break;
    case 'StorageClass':
      out.add(['metadata', 'name'], 'StorageProfile', name, 'profile');
      break;
    case 'StorageProfile':
      out.add(['metadata', 'name'], 'StorageClass', name, 'class');
      out.add(['spec', 'snapshotClass'], 'VolumeSnapshotClass', v.text('spec', 'snapshotClass'), 'class');
      break;
    case 'DataVolume':
      dataVolumeSpec(v, [], out);
      break;
    case 'DataSource':
      out.add(['spec', 'source', 'snapshot', 'name'], 'VolumeSnapshot', v.text('spec', 'source', 'snapshot', 'name'), 'restores', v.text('spec', 'source', 'snapshot', 'namespace'));
      out.add(['spec', 'source', 'pvc', 'name'], 'PersistentVolumeClaim', v.text('spec', 'source', 'pvc', 'name'), 'clones', v.text('spec', 'source', 'pvc', 'namespace'));
      break;
    case 'DataImportCron':
      out.add(['spec', 'managedDataSource'], 'DataSource', v.text('spec', 'managedDataSource'), 'source');
      break;
    case 'VirtualMachine':
      each(v, ['spec', 'template', 'spec', 'volumes'], [], (vol, p) => {
        out.add([...p, 'dataVolume', 'name'], 'DataVolume', vol.text('dataVolume', 'name'), 'volume');
        out.add([...p, 'persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim', vol.text('persistentVolumeClaim', 'claimName'), 'volume');
      });
      each(v, ['spec', 'dataVolumeTemplates'], [], (t, p) => dataVolumeSpec(t, p, out));
      break;
    case 'VolumeResize': {
      const sts = v.text('spec', 'statefulSetName');
      out.add(['spec', 'statefulSetName'], 'StatefulSet', sts, 'statefulSet');
      each(v, ['spec', 'volumes'], [], (vol, p) => {
        if (sts) out.add([...p, 'name'], 'StatefulSet', sts, 'template', undefined, vol.text('name'));
        out.add([...p, 'storageClass'], 'StorageClass', vol.text('storageClass'), 'class');
      });
      break;
    }
    case 'VirtualMachineSnapshot':
      if ((v.text('spec', 'source', 'kind') ?? 'VirtualMachine') === 'VirtualMachine') out.add(['spec', 'source', 'name'], 'VirtualMachine', v.text('spec', 'source', 'name'), 'virtualMachine');
      out.add(['status', 'virtualMachineSnapshotContentName'], 'VirtualMachineSnapshotContent', v.text('status', 'virtualMachineSnapshotContentName'), 'content');
      break;
    case 'VirtualMachineSnapshotContent':
      out.add(['spec', 'virtualMachineSnapshotName'], 'VirtualMachineSnapshot', v.text('spec', 'virtualMachineSnapshotName'), 'snapshot');
      each(v, ['spec', 'volumeBackups'], [], (b, p) => out.add([...p, 'volumeSnapshotName'], 'VolumeSnapshot', b.text('volumeSnapshotName'), 'snapshot'));
      break;
    case 'VirtualMachineRestore':
      out.add(['spec', 'virtualMachineSnapshotName'], 'VirtualMachineSnapshot', v.text('spec', 'virtualMachineSnapshotName'), 'snapshot');
      if ((v.text('spec', 'target', 'kind') ?? 'VirtualMachine') === 'VirtualMachine') out.add(['spec', 'target', 'name'], 'VirtualMachine', v.text('spec', 'target', 'name'), 'virtualMachine');
      break;
    default:
      break;
  }
  return out.refs;
}

/** The names an object of `kind` defines: its own, a VM's DataVolumes (dataVolumeTemplates), a StatefulSet's templates. */
export function definitionsOf(kind: KindName, v: ObjectView, namespace: string): Definition[] {
  const name = v.name;
  if (!name) return [];
  const out: Definition[] = [{ path: ['metadata', 'name'], key: keyOf(kind, name, namespace) }];
  if (kind === 'VirtualMachine') {
    // Each template is created as a DataVolume of that name, in the VM's namespace.
    v.items('spec', 'dataVolumeTemplates').forEach((t, i) => {
      if (t.name) out.push({ path: ['spec', 'dataVolumeTemplates', i, 'metadata', 'name'], key: keyOf('DataVolume', t.name, namespace) });
    });
  } else if (kind === 'StatefulSet') {
    v.items('spec', 'volumeClaimTemplates').forEach((t, i) => {
      if (t.name) out.push({ path: ['spec', 'volumeClaimTemplates', i, 'metadata', 'name'], key: keyOf('StatefulSet', name, namespace, t.name) });
    });
  }
  return out;
}

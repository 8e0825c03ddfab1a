/**
 * Facts drawn from the analysed files: snapshots, storage classes, StorageProfiles, CDIConfig and the CDI CR.
 * When an object is defined twice, the first one (in file order) wins.
 */
import type {
  VmSnapshotContentFact,
  VmSnapshotFact,
  VolumeBackupFact,
  CdiConfigFact,
  CdiVersionFact,
  ClaimPropertySet,
  Facts,
  FactSource,
  SnapshotFact,
  StorageClassFact,
  StorageProfileFact,
} from './facts.js';
import { parseQuantity } from './quantity.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Document } from 'yaml';
import { scalarString, sequence, stringList, stringMap } from './yaml/documents.js';

export const annotations = {
  defaultClass: 'storageclass.kubernetes.io/is-default-class',
  defaultVirtClass: 'storageclass.kubevirt.io/is-default-virt-class',
  minimumSupportedPvcSize: 'cdi.kubevirt.io/minimumSupportedPvcSize',
  applyStorageProfile: 'cdi.kubevirt.io/applyStorageProfile',
} as const;

function sourceOf(r: Resource): FactSource {
  return { kind: 'workspace', file: r.file };
}

function bytesOf(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const q = parseQuantity(text);
  return q.ok ? q.quantity.bytes : undefined;
}

function snapshotFact(r: Resource, defaultNamespace: string): SnapshotFact | undefined {
  if (!r.name) return undefined;
  const restoreSizeText = scalarString(r.doc, at(r, 'status', 'restoreSize'));
  const ready = scalarString(r.doc, at(r, 'status', 'readyToUse'));
  return {
    namespace: r.namespace ?? defaultNamespace,
    name: r.name,
    restoreSizeText,
    restoreSizeBytes: bytesOf(restoreSizeText),
    readyToUse: ready === undefined ? undefined : ready === 'true',
    volumeSnapshotClassName: scalarString(r.doc, at(r, 'spec', 'volumeSnapshotClassName')),
    sourcePvcName: scalarString(r.doc, at(r, 'spec', 'source', 'persistentVolumeClaimName')),
    source: sourceOf(r),
  };
}

function storageClassFact(r: Resource): StorageClassFact | undefined {
  if (!r.name) return undefined;
  const ann = stringMap(r.doc, at(r, 'metadata', 'annotations'));
  return {
    name: r.name,
    provisioner: scalarString(r.doc, at(r, 'provisioner')),
    isDefault: ann[annotations.defaultClass] === 'true',
    isDefaultVirt: ann[annotations.defaultVirtClass] === 'true',
    creationTimestamp: scalarString(r.doc, at(r, 'metadata', 'creationTimestamp')),
    parameters: stringMap(r.doc, at(r, 'parameters')),
    volumeBindingMode: scalarString(r.doc, at(r, 'volumeBindingMode')),
    source: sourceOf(r),
  };
}

function claimPropertySets(r: Resource, where: 'status' | 'spec'): ClaimPropertySet[] {
  return sequence(r.doc, at(r, where, 'claimPropertySets')).map((_: unknown, i: number) => {
    const mode = scalarString(r.doc, at(r, where, 'claimPropertySets', i, 'volumeMode'));
    return {
      accessModes: stringList(r.doc, at(r, where, 'claimPropertySets', i, 'accessModes')) ?? [],
      volumeMode: mode === 'Block' || mode === 'Filesystem' ? mode : undefined,
    };
  });
}

function storageProfileFact(r: Resource): StorageProfileFact | undefined {
  if (!r.name) return undefined;
  const fromStatus = claimPropertySets(r, 'status');
  const fromSpec = fromStatus.length ? [] : claimPropertySets(r, 'spec');
  const minText = stringMap(r.doc, at(r, 'metadata', 'annotations'))[annotations.minimumSupportedPvcSize];
  return {
    name: r.name,
    claimPropertySets: fromStatus.length ? fromStatus : fromSpec,
    claimPropertySetsFrom: fromStatus.length ? 'status' : fromSpec.length ? 'spec' : 'none',
    minimumSupportedPvcSizeText: minText,
    minimumSupportedPvcSizeBytes: bytesOf(minText),
    source: sourceOf(r),
  };
}

function cdiConfigFact(r: Resource): CdiConfigFact | undefined {
  const global = scalarString(r.doc, at(r, 'status', 'filesystemOverhead', 'global'));
  const perClass = stringMap(r.doc, at(r, 'status', 'filesystemOverhead', 'storageClass'));
  if (global === undefined && Object.keys(perClass).length === 0) return undefined;
  return { globalOverhead: global, storageClassOverhead: perClass, source: sourceOf(r) };
}

function cdiVersionFact(r: Resource): CdiVersionFact | undefined {
  const v = scalarString(r.doc, at(r, 'status', 'observedVersion'));
  if (!v) return undefined;
  return { version: v, source: sourceOf(r) };
}

function vmSnapshotFact(r: Resource, defaultNamespace: string): VmSnapshotFact | undefined {
  if (!r.name) return undefined;
  const ready = scalarString(r.doc, at(r, 'status', 'readyToUse'));
  return {
    namespace: r.namespace ?? defaultNamespace,
    name: r.name,
    contentName: scalarString(r.doc, at(r, 'status', 'virtualMachineSnapshotContentName')),
    vmName: scalarString(r.doc, at(r, 'spec', 'source', 'name')),
    readyToUse: ready === undefined ? undefined : ready === 'true',
    phase: scalarString(r.doc, at(r, 'status', 'phase')),
    source: sourceOf(r),
  };
}

function volumeBackup(r: Resource, i: number): VolumeBackupFact {
  const p = (...rest: string[]) => at(r, 'spec', 'volumeBackups', i, ...rest);
  const requestText = scalarString(r.doc, p('persistentVolumeClaim', 'spec', 'resources', 'requests', 'storage'));
  return {
    volumeName: scalarString(r.doc, p('volumeName')) ?? '',
    pvcName: scalarString(r.doc, p('persistentVolumeClaim', 'metadata', 'name')),
    labels: stringMap(r.doc, p('persistentVolumeClaim', 'metadata', 'labels')),
    annotations: stringMap(r.doc, p('persistentVolumeClaim', 'metadata', 'annotations')),
    storageClassName: scalarString(r.doc, p('persistentVolumeClaim', 'spec', 'storageClassName')),
    accessModes: stringList(r.doc, p('persistentVolumeClaim', 'spec', 'accessModes')),
    volumeMode: scalarString(r.doc, p('persistentVolumeClaim', 'spec', 'volumeMode')),
    requestText,
    requestBytes: bytesOf(requestText),
    volumeSnapshotName: scalarString(r.doc, p('volumeSnapshotName')),
  };
}

function vmSnapshotContentFact(r: Resource, defaultNamespace: string): VmSnapshotContentFact | undefined {
  if (!r.name) return undefined;
  return {
    namespace: r.namespace ?? defaultNamespace,
    name: r.name,
    snapshotName: scalarString(r.doc, at(r, 'spec', 'virtualMachineSnapshotName')),
    volumeBackups: sequence(r.doc, at(r, 'spec', 'volumeBackups')).map((_: unknown, i: number) => volumeBackup(r, i)),
    source: sourceOf(r),
  };
}

type AnyFact = VmSnapshotFact | VmSnapshotContentFact | SnapshotFact | StorageClassFact | StorageProfileFact | CdiConfigFact | CdiVersionFact | undefined;

/** Facts extracted from one parsed Document, by file and resource position (a Document may be shared). */
const factCache = new WeakMap<Document.Parsed, Map<string, AnyFact>>();

function memo<T extends AnyFact>(r: Resource, defaultNamespace: string, make: () => T): T {
  const d = r.doc.doc;
  if (!d) return make();
  let m = factCache.get(d);
  if (!m) factCache.set(d, (m = new Map()));
  const key = `${r.file}\0${defaultNamespace}\0${r.base.join('\0')}`;
  if (m.has(key)) return m.get(key) as T;
  const v = make();
  m.set(key, v);
  return v;
}

/** Workspace facts, with the non-snapshot facts listed so a caller can tell whether any of them changed. */
export interface WorkspaceFacts extends Facts {
  /** Storage classes, profiles, CDIConfig and CDI version facts, in a stable order (same objects while unchanged). */
  readonly globals: readonly unknown[];
}

/** Builds the workspace's Facts from every recognised resource. */
export function workspaceFacts(resources: Iterable<Resource>, defaultNamespace: string): WorkspaceFacts {
  const snapshots = new Map<string, SnapshotFact>();
  const classes = new Map<string, StorageClassFact>();
  const profiles = new Map<string, StorageProfileFact>();
  const vmSnapshots = new Map<string, VmSnapshotFact>();
  const vmContents = new Map<string, VmSnapshotContentFact>();
  let config: CdiConfigFact | undefined;
  let version: CdiVersionFact | undefined;
  const once = <T>(m: Map<string, T>, key: string, make: () => T | undefined): void => {
    if (m.has(key)) return;
    const v = make();
    if (v !== undefined) m.set(key, v);
  };
  for (const r of resources) {
    switch (r.kind) {
      case 'VolumeSnapshot':
        once(snapshots, `${r.namespace ?? defaultNamespace}/${r.name}`, () => memo(r, defaultNamespace, () => snapshotFact(r, defaultNamespace)));
        break;
      case 'StorageClass':
        once(classes, r.name ?? '', () => memo(r, '', () => storageClassFact(r)));
        break;
      case 'StorageProfile':
        once(profiles, r.name ?? '', () => memo(r, '', () => storageProfileFact(r)));
        break;
      case 'VirtualMachineSnapshot':
        once(vmSnapshots, `${r.namespace ?? defaultNamespace}/${r.name}`, () => memo(r, defaultNamespace, () => vmSnapshotFact(r, defaultNamespace)));
        break;
      case 'VirtualMachineSnapshotContent':
        once(vmContents, `${r.namespace ?? defaultNamespace}/${r.name}`, () => memo(r, defaultNamespace, () => vmSnapshotContentFact(r, defaultNamespace)));
        break;
      case 'CDIConfig':
        config ??= memo(r, '', () => cdiConfigFact(r));
        break;
      case 'CDI':
        version ??= memo(r, '', () => cdiVersionFact(r));
        break;
      default:
        break;
    }
  }
  return {
    globals: [...classes.values(), ...profiles.values(), ...vmSnapshots.values(), ...vmContents.values(), config, version],
    volumeSnapshot: (ns, name) => snapshots.get(`${ns}/${name}`),
    storageClass: (name) => classes.get(name),
    storageClasses: () => [...classes.values()],
    storageProfile: (name) => profiles.get(name),
    cdiConfig: () => config,
    cdiVersion: () => version,
    virtualMachineSnapshot: (ns, name) => vmSnapshots.get(`${ns}/${name}`),
    virtualMachineSnapshotContent: (ns, name) => vmContents.get(`${ns}/${name}`),
  };
}

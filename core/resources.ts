/**
 * Recognising Kubernetes resources in parsed YAML documents, by apiVersion and kind.
 * A document may hold one object or a `kind: List` of them (what `kubectl get -o yaml` prints).
 */
import type { Document } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { YamlDoc } from './yaml/documents.js';
import { scalarString } from './yaml/documents.js';

export type ResourceKind =
  | 'PersistentVolumeClaim'
  | 'VolumeSnapshot'
  | 'VolumeSnapshotContent'
  | 'VolumeSnapshotClass'
  | 'StorageClass'
  | 'StorageProfile'
  | 'CDIConfig'
  | 'CDI'
  | 'DataVolume'
  | 'VirtualMachine'
  | 'VirtualMachineSnapshot'
  | 'VirtualMachineSnapshotContent'
  | 'VirtualMachineRestore'
  | 'StatefulSet'
  | 'VolumeResize'
  | 'HyperConverged';

/** group → kind → versions we recognise. Versions no longer served are still recognised (rules may say so). */
const known: Record<string, Partial<Record<ResourceKind, readonly string[]>>> = {
  '': { PersistentVolumeClaim: ['v1'] },
  'snapshot.storage.k8s.io': {
    VolumeSnapshot: ['v1', 'v1beta1'],
    VolumeSnapshotContent: ['v1', 'v1beta1'],
    VolumeSnapshotClass: ['v1', 'v1beta1'],
  },
  'storage.k8s.io': { StorageClass: ['v1', 'v1beta1'] },
  'cdi.kubevirt.io': {
    StorageProfile: ['v1beta1'],
    CDIConfig: ['v1beta1'],
    CDI: ['v1beta1'],
    DataVolume: ['v1beta1', 'v1alpha1'],
  },
  'kubevirt.io': { VirtualMachine: ['v1', 'v1alpha3'] },
  'snapshot.kubevirt.io': {
    VirtualMachineSnapshot: ['v1beta1', 'v1alpha1'],
    VirtualMachineSnapshotContent: ['v1beta1', 'v1alpha1'],
    VirtualMachineRestore: ['v1beta1', 'v1alpha1'],
  },
  apps: { StatefulSet: ['v1'] },
  'storage.maurice.fr': { VolumeResize: ['v1alpha1'] },
  'hco.kubevirt.io': { HyperConverged: ['v1beta1', 'v1'] },
};

/** One recognised object: where it is and what it is. Field access goes through `base`. */
export interface Resource {
  file: string;
  doc: YamlDoc;
  /** Path of the object inside the document: [] for a plain document, ['items', i] inside a List. */
  base: (string | number)[];
  apiVersion: string;
  group: string;
  version: string;
  kind: ResourceKind;
  name?: string;
  /** `metadata.namespace` as written; undefined when absent (then the adapter's default applies). */
  namespace?: string;
}

/** Identity of an object, cached per parsed Document (re-used while its text is unchanged). */
interface Identity {
  base: (string | number)[];
  apiVersion: string;
  group: string;
  version: string;
  kind: ResourceKind;
  name?: string;
  namespace?: string;
}

const identityCache = new WeakMap<Document.Parsed, Identity[]>();

function identify(d: YamlDoc, base: (string | number)[]): Identity | undefined {
  const apiVersion = scalarString(d, [...base, 'apiVersion']);
  const kind = scalarString(d, [...base, 'kind']);
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const versions = known[group]?.[kind as ResourceKind];
  if (!versions || !versions.includes(version)) return undefined;
  return {
    base,
    apiVersion,
    group,
    version,
    kind: kind as ResourceKind,
    name: scalarString(d, [...base, 'metadata', 'name']),
    namespace: scalarString(d, [...base, 'metadata', 'namespace']),
  };
}

function identities(d: YamlDoc): Identity[] {
  const parsed = d.doc;
  if (!parsed || !isMap(parsed.contents)) return [];
  const cached = identityCache.get(parsed);
  if (cached) return cached;
  const out: Identity[] = [];
  const kind = scalarString(d, ['kind']);
  if (kind === 'List' || (kind?.endsWith('List') && scalarString(d, ['apiVersion']) !== undefined)) {
    const items = parsed.get('items', true);
    if (isSeq(items)) {
      for (let i = 0; i < items.items.length; i++) {
        const id = identify(d, ['items', i]);
        if (id) out.push(id);
      }
    }
  } else {
    const id = identify(d, []);
    if (id) out.push(id);
  }
  identityCache.set(parsed, out);
  return out;
}

/** The kinds of the recognised objects of one document, without allocating (cached per parsed Document). */
export function kindsOf(d: YamlDoc): readonly { kind: ResourceKind }[] {
  return identities(d);
}

/** The recognised objects of one document. Cheap on unchanged documents (cached by parsed Document). */
export function resourcesOf(file: string, d: YamlDoc): Resource[] {
  return identities(d).map((id) => ({ file, doc: d, ...id }));
}

/** Path helper: a field path relative to the resource. */
export function at(r: Resource, ...path: (string | number)[]): (string | number)[] {
  return r.base.length === 0 ? path : [...r.base, ...path];
}

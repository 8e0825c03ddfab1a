/**
 * Facts drawn from the analysed files: every kind the registry marks as part of core's Facts (core/kinds),
 * read with the kind's own reader over the YAML. When an object is defined twice, the first one (in file
 * order) wins; of a one-per-cluster kind (CDIConfig, CDI), the first that yields a fact.
 */
import type { Document } from 'yaml';
import type { ClaimObjectFact, ClaimObjectKind, Facts, FactSource } from './facts.js';
import { claimObjectKinds } from './facts.js';
import { factFromView, factKinds, isNamespaced, kindNamed, yamlView, type FactKind, type FactOf } from './kinds/index.js';
import type { Resource } from './resources.js';

function sourceOf(r: Resource): FactSource {
  return { kind: 'workspace', file: r.file };
}

/** Facts extracted from one parsed Document, by file and resource position (a Document may be shared). */
const factCache = new WeakMap<Document.Parsed, Map<string, unknown>>();

function memo<T>(r: Resource, defaultNamespace: string, make: () => T): T {
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
  /**
   * Every fact but the VolumeSnapshots (whose lookups core/workspace.ts tracks one by one), in a stable order
   * (the same objects while unchanged).
   */
  readonly globals: readonly unknown[];
}

/** Facts of one kind, by key: `namespace/name`, `name`, or '' for one-per-cluster kinds. */
type Index = Map<FactKind, Map<string, unknown>>;

/** Builds the workspace's Facts from every recognised resource. */
export function workspaceFacts(resources: Iterable<Resource>, defaultNamespace: string): WorkspaceFacts {
  const index: Index = new Map();
  for (const r of resources) {
    const d = kindNamed(r.kind);
    if (!d?.fact?.inFacts) continue;
    const kind = r.kind as FactKind;
    const namespaced = isNamespaced(d);
    const key = d.fact.singleton ? '' : namespaced ? `${r.namespace ?? defaultNamespace}/${r.name}` : (r.name ?? '');
    let facts = index.get(kind);
    if (!facts) index.set(kind, (facts = new Map()));
    if (facts.has(key)) continue;
    const ns = namespaced ? defaultNamespace : '';
    const fact = memo(r, ns, () => factFromView(kind, yamlView(r.doc, r.base), { source: sourceOf(r), defaultNamespace }));
    if (fact !== undefined) facts.set(key, fact);
  }
  const get = <K extends FactKind>(kind: K, key: string) => index.get(kind)?.get(key) as FactOf<K> | undefined;
  const all = <K extends FactKind>(kind: K) => [...(index.get(kind)?.values() ?? [])] as FactOf<K>[];
  const globals: unknown[] = [];
  for (const d of factKinds) if (d.kind !== 'VolumeSnapshot') globals.push(...(index.get(d.kind as FactKind)?.values() ?? []));
  return {
    globals,
    volumeSnapshot: (ns, name) => get('VolumeSnapshot', `${ns}/${name}`),
    volumeSnapshots: (ns) => all('VolumeSnapshot').filter((s) => s.namespace === ns),
    storageClass: (name) => get('StorageClass', name),
    storageClasses: () => all('StorageClass'),
    storageProfile: (name) => get('StorageProfile', name),
    volumeSnapshotClass: (name) => get('VolumeSnapshotClass', name),
    volumeSnapshotClasses: () => all('VolumeSnapshotClass'),
    cdiConfig: () => get('CDIConfig', ''),
    cdiVersion: () => get('CDI', ''),
    virtualMachineSnapshot: (ns, name) => get('VirtualMachineSnapshot', `${ns}/${name}`),
    virtualMachineSnapshotContent: (ns, name) => get('VirtualMachineSnapshotContent', `${ns}/${name}`),
    dataSource: (ns, name) => get('DataSource', `${ns}/${name}`),
  };
}

/** Claim objects by kind and namespace: the lookups of Facts that are not globals. */
export type ClaimObjectIndex = Required<Pick<Facts, 'claimObject' | 'claimObjects'>>;

/**
 * The workspace's claim objects, indexed on first lookup (most edits never ask). The first object of a name
 * wins, as for the other facts.
 */
export function claimObjectIndex(resources: () => Iterable<Resource>, defaultNamespace: string): ClaimObjectIndex {
  let index: Map<string, Map<string, ClaimObjectFact>> | undefined;
  const build = () => {
    const out = new Map<string, Map<string, ClaimObjectFact>>();
    for (const r of resources()) {
      if (!(claimObjectKinds as readonly string[]).includes(r.kind) || !r.name) continue;
      const kind = r.kind as ClaimObjectKind;
      const key = `${kind}\0${r.namespace ?? defaultNamespace}`;
      let byName = out.get(key);
      if (!byName) out.set(key, (byName = new Map()));
      if (byName.has(r.name)) continue;
      const fact = memo(r, defaultNamespace, () => factFromView(kind, yamlView(r.doc, r.base), { source: sourceOf(r), defaultNamespace }));
      if (fact !== undefined) byName.set(r.name, fact);
    }
    return out;
  };
  const of = (kind: ClaimObjectKind, namespace: string) => (index ??= build()).get(`${kind}\0${namespace}`);
  return {
    claimObject: (kind, namespace, name) => of(kind, namespace)?.get(name),
    claimObjects: (kind, namespace) => [...(of(kind, namespace)?.values() ?? [])],
  };
}

/**
 * Facts drawn from the analysed files: every kind the registry marks as part of core's Facts (core/kinds), and
 * the claim objects looked up by name (PVCs, DataVolumes, CDI populator sources), read with the kind's own reader
 * over the YAML. When an object is defined twice, the first one (in file
 * order) wins; of a one-per-cluster kind (CDIConfig, CDI), the first that yields a fact. The Workspace keeps
 * them incrementally (workspaceIndex.ts); `workspaceFacts` builds them at once from a list of resources.
 */
import type { ClaimObjectFact, ClaimObjectKind, Facts } from './facts.js';
import { claimObjectKinds } from './facts.js';
import { factFromView, isNamespaced, kindNamed, yamlView, type FactKind, type FactOf } from './kinds/index.js';
import type { Resource } from './resources.js';

/** The fact one recognised object contributes, under its key (`namespace/name`, `name`, or '' for singletons). */
export interface ResourceFact {
  kind: FactKind;
  key: string;
  fact: unknown;
}

/** The fact of `r` when its kind is one of core's Facts and it yields one. */
export function factOf(r: Resource, defaultNamespace: string): ResourceFact | undefined {
  const d = kindNamed(r.kind);
  // Claim objects (PVCs, DataVolumes, populator sources) are looked up by name only, and only when named.
  const claimObject = isClaimObjectKind(r.kind);
  if (!d?.fact || !(d.fact.inFacts || claimObject) || (claimObject && !r.name)) return undefined;
  const kind = r.kind as FactKind;
  const namespaced = isNamespaced(d);
  const key = d.fact.singleton ? '' : namespaced ? `${r.namespace ?? defaultNamespace}/${r.name}` : (r.name ?? '');
  const fact = factFromView(kind, yamlView(r.doc, r.base), { source: { kind: 'workspace', file: r.file }, defaultNamespace });
  return fact === undefined ? undefined : { kind, key, fact };
}

/** Builds the workspace's Facts from every recognised resource, in order. */
export function workspaceFacts(resources: Iterable<Resource>, defaultNamespace: string): Facts {
  const index = new Map<FactKind, Map<string, unknown>>();
  for (const r of resources) {
    const found = factOf(r, defaultNamespace);
    if (!found) continue;
    let facts = index.get(found.kind);
    if (!facts) index.set(found.kind, (facts = new Map()));
    if (!facts.has(found.key)) facts.set(found.key, found.fact);
  }
  const get = <K extends FactKind>(kind: K, key: string) => index.get(kind)?.get(key) as FactOf<K> | undefined;
  const all = <K extends FactKind>(kind: K) => [...(index.get(kind)?.values() ?? [])] as FactOf<K>[];
  return {
    volumeSnapshot: (ns, name) => get('VolumeSnapshot', `${ns}/${name}`),
    volumeSnapshots: (ns) => all('VolumeSnapshot').filter((s) => s.namespace === ns),
    storageClass: (name) => get('StorageClass', name),
    storageClasses: () => all('StorageClass'),
    storageProfile: (name) => get('StorageProfile', name),
    volumeSnapshotClass: (name) => get('VolumeSnapshotClass', name),
    volumeSnapshotClasses: () => all('VolumeSnapshotClass'),
    volumeSnapshotContent: (name) => get('VolumeSnapshotContent', name),
    cdiConfig: () => get('CDIConfig', ''),
    cdiVersion: () => get('CDI', ''),
    kubevirtVersion: () => get('KubeVirt', ''),
    virtualMachineSnapshot: (ns, name) => get('VirtualMachineSnapshot', `${ns}/${name}`),
    virtualMachineSnapshotContent: (ns, name) => get('VirtualMachineSnapshotContent', `${ns}/${name}`),
    statefulSet: (ns, name) => get('StatefulSet', `${ns}/${name}`),
    statefulSets: (ns) => all('StatefulSet').filter((s) => s.namespace === ns),
    podDisruptionBudgets: (ns) => all('PodDisruptionBudget').filter((p) => p.namespace === ns),
    claimObject: (kind, ns, name) => get(kind, `${ns}/${name}`) as ClaimObjectFact | undefined,
    claimObjects: (kind, ns) => (all(kind) as ClaimObjectFact[]).filter((o) => o.namespace === ns),
    dataSource: (ns, name) => get('DataSource', `${ns}/${name}`),
  };
}

export function isClaimObjectKind(kind: string): kind is ClaimObjectKind {
  return (claimObjectKinds as readonly string[]).includes(kind);
}

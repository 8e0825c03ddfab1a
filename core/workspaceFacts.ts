/**
 * Facts drawn from the analysed files: every kind the registry marks as part of core's Facts (core/kinds),
 * read with the kind's own reader over the YAML. When an object is defined twice, the first one (in file
 * order) wins; of a one-per-cluster kind (CDIConfig, CDI), the first that yields a fact. The Workspace keeps
 * them incrementally (workspaceIndex.ts); `workspaceFacts` builds them at once from a list of resources.
 */
import type { Facts } from './facts.js';
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
  if (!d?.fact?.inFacts) return undefined;
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
    storageClass: (name) => get('StorageClass', name),
    storageClasses: () => all('StorageClass'),
    storageProfile: (name) => get('StorageProfile', name),
    cdiConfig: () => get('CDIConfig', ''),
    cdiVersion: () => get('CDI', ''),
    virtualMachineSnapshot: (ns, name) => get('VirtualMachineSnapshot', `${ns}/${name}`),
    virtualMachineSnapshotContent: (ns, name) => get('VirtualMachineSnapshotContent', `${ns}/${name}`),
  };
}

/** What "Create PVC…" offers to pick from: the classes (CDI's default marked) and the sources that exist. */
import { resolveStorageClass } from '../../cdi/storageClass.js';
import { describeSets } from '../../claimSpecs/describe.js';
import type { Facts } from '../../facts.js';
import { sourceKinds } from './plan.js';

export interface CreatePvcChoices {
  namespace: string;
  /** The class CDI picks when none is given (virt default, else the Kubernetes default). */
  defaultClass?: string;
  classes: { name: string; detail: string }[];
  sources: { kind: string; apiGroup: string; names: { name: string; detail: string }[] }[];
}

export function createPvcChoices(facts: Facts, namespace: string): CreatePvcChoices {
  const picked = resolveStorageClass(undefined, 'kubevirt', facts).fact?.name;
  const classes = facts.storageClasses().map((sc) => {
    const profile = facts.storageProfile(sc.name);
    const marks = [...(sc.isDefaultVirt ? ['virt default'] : []), ...(sc.isDefault ? ['default'] : [])];
    return { name: sc.name, detail: [...marks, sc.provisioner ?? '', profile ? describeSets(profile.claimPropertySets) : 'no StorageProfile known', sc.volumeBindingMode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' : ''].filter(Boolean).join(' · ') };
  });
  const sources = sourceKinds.map((k) => {
    const names = k.objects
      ? (facts.claimObjects?.(k.objects, namespace) ?? []).map((o) => ({ name: o.name, detail: o.requestText ?? (o.populatorSource?.name ? `${o.populatorSource.kind ?? 'PersistentVolumeClaim'} ${o.populatorSource.name}` : (o.populatorSource?.url ?? '')) }))
      : (facts.volumeSnapshots?.(namespace) ?? []).map((s) => ({ name: s.name, detail: s.restoreSizeText ? `restoreSize ${s.restoreSizeText}` : 'no restoreSize yet' }));
    return { kind: k.kind, apiGroup: k.apiGroup, names: names.sort((a, b) => (a.name < b.name ? -1 : 1)) };
  });
  return { namespace, ...(picked ? { defaultClass: picked } : {}), classes, sources };
}

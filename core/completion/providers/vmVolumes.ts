/** A VM volume's `persistentVolumeClaim.claimName` and `dataVolume.name`: the VM's templates, then what exists. */
import type { ClaimObjectKind } from '../../facts.js';
import { scalarString, sequence } from '../../yaml/documents.js';
import { fromWhere, objectValue } from '../items.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

function templateNames(ctx: CompletionContext, field: 'volumeClaimTemplates' | 'dataVolumeTemplates'): string[] {
  const base = [...ctx.object.base, 'spec', field];
  return sequence(ctx.doc, base)
    .map((_, i) => scalarString(ctx.doc, [...base, i, 'metadata', 'name']))
    .filter((n): n is string => n !== undefined && n !== '');
}

function items(ctx: CompletionContext, field: 'volumeClaimTemplates' | 'dataVolumeTemplates', kind: ClaimObjectKind): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  const vm = ctx.object.name ?? '<vm>';
  for (const name of templateNames(ctx, field)) {
    seen.add(name);
    const doc =
      field === 'volumeClaimTemplates'
        ? `**volumeClaimTemplate ${name}** of this VM. The design names the PVC \`${vm}-${name}\` and rewrites this volume to it; **Expand VolumeClaimTemplates into PVCs** does that in the file.`
        : `**dataVolumeTemplate ${name}** of this VM: KubeVirt creates DataVolume \`${name}\` (and its PVC of the same name).`;
    out.push({ label: name, kind: 'reference', detail: field === 'volumeClaimTemplates' ? 'volumeClaimTemplate' : 'dataVolumeTemplate', documentation: doc, rank: out.length });
  }
  for (const o of ctx.facts.claimObjects?.(kind, ctx.object.namespace) ?? []) {
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    const detail = [o.requestText, o.phase].filter(Boolean).join(' · ');
    out.push({ label: o.name, kind: 'reference', detail: `${kind}${detail ? ` · ${detail}` : ''}`, documentation: `**${kind} ${o.namespace}/${o.name}**${detail ? ` — ${detail}` : ''}; from ${fromWhere(o.source)}.`, rank: out.length });
  }
  return out;
}

export const vmVolumes: CompletionProvider = {
  id: 'vm-volumes',
  provide(ctx) {
    const volumes = ['spec', 'template', 'spec', 'volumes', 0];
    if (objectValue(ctx, 'VirtualMachine', [...volumes, 'persistentVolumeClaim', 'claimName'])) return items(ctx, 'volumeClaimTemplates', 'PersistentVolumeClaim');
    if (objectValue(ctx, 'VirtualMachine', [...volumes, 'dataVolume', 'name'])) return items(ctx, 'dataVolumeTemplates', 'DataVolume');
    return [];
  },
};

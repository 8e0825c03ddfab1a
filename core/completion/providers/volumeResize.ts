/**
 * A VolumeResize's values: StatefulSet names for `spec.statefulSetName` (of the VolumeResize's namespace), that
 * StatefulSet's claim templates for `spec.volumes[].name`, storage classes for `storageClass`, and for `newSize`
 * a size with room above the most data in use on that volume (the kubelets' stats, with a cluster).
 */
import type { StatefulSetFact } from '../../facts.js';
import { formatBytes, groupDigits } from '../../quantity.js';
import { suggestedSize } from '../../volumeResize/checks.js';
import { originalPvcName, replicaPodName } from '../../volumeResize/model.js';
import { scalarString } from '../../yaml/documents.js';
import { fromWhere, objectValue, sibling } from '../items.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

const KIND = 'VolumeResize';

function statefulSetAtCursor(ctx: CompletionContext): StatefulSetFact | undefined {
  const name = scalarString(ctx.doc, [...ctx.object.base, 'spec', 'statefulSetName']);
  return name ? ctx.facts.statefulSet?.(ctx.object.namespace, name) : undefined;
}

function statefulSets(ctx: CompletionContext): CompletionItem[] {
  return (ctx.facts.statefulSets?.(ctx.object.namespace) ?? []).map((s, rank) => {
    const volumes = s.volumeClaimTemplates.map((t) => `${t.name}${t.requestText ? ` ${t.requestText}` : ''}`).join(', ') || 'none';
    return {
      label: s.name,
      kind: 'reference',
      detail: `${s.replicas} replica${s.replicas === 1 ? '' : 's'} · ${volumes}`,
      documentation: `**StatefulSet ${s.namespace}/${s.name}**: ${s.replicas} replica${s.replicas === 1 ? '' : 's'}; claim templates ${volumes}; from ${fromWhere(s.source)}.`,
      rank,
    };
  });
}

function volumes(ctx: CompletionContext): CompletionItem[] {
  const sts = statefulSetAtCursor(ctx);
  return (sts?.volumeClaimTemplates ?? []).map((t, rank) => ({
    label: t.name,
    kind: 'value',
    detail: [t.requestText, t.storageClassName && `class ${t.storageClassName}`].filter(Boolean).join(' · '),
    documentation: `Claim template **${t.name}** of StatefulSet ${sts!.name}: each replica's PVC \`${originalPvcName(t.name, sts!.name, 0)}\`, … ${t.requestText ? `asks for ${t.requestText}` : 'names no size'}.`,
    rank,
  }));
}

function classes(ctx: CompletionContext): CompletionItem[] {
  return ctx.facts.storageClasses().map((sc, rank) => ({
    label: sc.name,
    kind: 'class',
    detail: [sc.isDefault ? 'default' : '', sc.provisioner ?? '', sc.volumeBindingMode ?? ''].filter(Boolean).join(' · '),
    documentation:
      `**StorageClass ${sc.name}** for the new, smaller PVCs (left out, they keep the old PVC's class)` +
      `${sc.volumeBindingMode ? `; volumeBindingMode ${sc.volumeBindingMode}` : ''}; from ${fromWhere(sc.source)}.`,
    rank,
  }));
}

function size(ctx: CompletionContext): CompletionItem[] {
  const sts = statefulSetAtCursor(ctx);
  const volume = sibling(ctx, 'name');
  if (!sts || !volume) return [];
  let most = -1n;
  for (let i = 0; i < sts.replicas; i++) {
    const u = ctx.facts.volumeUsage?.(ctx.object.namespace, originalPvcName(volume, sts.name, i), replicaPodName(sts.name, i));
    if (u?.state === 'known' && u.usedBytes > most) most = u.usedBytes;
  }
  if (most < 0n) return [];
  const text = suggestedSize(most);
  return [{
    label: text,
    kind: 'unit',
    detail: `the most data in use (${formatBytes(most)}) + 25 %`,
    documentation: `The most data in use on **${volume}** over ${sts.name}'s ${sts.replicas} replicas is ${groupDigits(most)} bytes (the kubelets' stats); **${text}** leaves 25 % above it for the copy.`,
    rank: 0,
    preselect: true,
  }];
}

export const volumeResize: CompletionProvider = {
  id: 'volume-resize',
  provide(ctx) {
    if (objectValue(ctx, KIND, ['spec', 'statefulSetName'])) return statefulSets(ctx);
    if (objectValue(ctx, KIND, ['spec', 'volumes', 0, 'name'])) return volumes(ctx);
    if (objectValue(ctx, KIND, ['spec', 'volumes', 0, 'storageClass'])) return classes(ctx);
    if (objectValue(ctx, KIND, ['spec', 'volumes', 0, 'newSize'])) return size(ctx);
    return [];
  },
};

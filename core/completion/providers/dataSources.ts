/** `dataSourceRef` / `dataSource`: kinds (with their apiGroup), groups, and the names of objects that exist. */
import type { ClaimObjectKind } from '../../facts.js';
import { groupDigits } from '../../quantity.js';
import type { TextEdit } from '../../types.js';
import { claimValue, fromWhere, sibling } from '../items.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

interface SourceKind {
  kind: string;
  apiGroup: string;
  doc: string;
  /** The claim objects of this kind, when it is one. */
  objects?: ClaimObjectKind;
}

const sourceKinds: readonly SourceKind[] = [
  { kind: 'VolumeImportSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeImportSource', doc: "CDI's import populator: HTTP, registry, S3, GCS, ImageIO or VDDK, as in the VolumeImportSource's `spec.source`." },
  { kind: 'VolumeCloneSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeCloneSource', doc: "CDI's clone populator: a PVC or VolumeSnapshot in the VolumeCloneSource. The size may be left out: CDI takes the source's." },
  { kind: 'VolumeUploadSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeUploadSource', doc: "CDI's upload populator: `virtctl image-upload` fills the volume." },
  { kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io', doc: 'Restore a CSI snapshot; ask for at least its `status.restoreSize`.' },
  { kind: 'PersistentVolumeClaim', apiGroup: '', objects: 'PersistentVolumeClaim', doc: 'A CSI clone of another PVC of the same class, at least its size.' },
];

/** Kinds a field takes: `dataSource` only VolumeSnapshot and PVC (the alpha AnyVolumeDataSource aside). */
function kindsFor(field: string): readonly SourceKind[] {
  return field === 'dataSource' ? sourceKinds.filter((k) => k.kind === 'VolumeSnapshot' || k.kind === 'PersistentVolumeClaim') : sourceKinds;
}

/** An `apiGroup: X` line above the cursor's `kind:` when the map has none. */
function apiGroupEdit(ctx: CompletionContext, group: string): TextEdit[] {
  if (ctx.cursor.siblings.has('apiGroup') || group === '') return [];
  const line = ctx.cursor.range.start.line;
  const at = { line, character: ctx.cursor.column };
  return [{ range: { start: at, end: at }, newText: `apiGroup: ${group}\n${' '.repeat(ctx.cursor.column)}` }];
}

function kindItems(ctx: CompletionContext, field: string): CompletionItem[] {
  const group = sibling(ctx, 'apiGroup');
  return kindsFor(field)
    .filter((k) => group === undefined || k.apiGroup === group)
    .map((k, i) => ({
      label: k.kind,
      kind: 'enum' as const,
      detail: k.apiGroup || 'core',
      documentation: `**${k.kind}** (\`${k.apiGroup || 'core'}\`) — ${k.doc}`,
      rank: i,
      additionalEdits: apiGroupEdit(ctx, k.apiGroup),
    }));
}

function groupItems(ctx: CompletionContext, field: string): CompletionItem[] {
  const kind = sibling(ctx, 'kind');
  const groups = [...new Set(kindsFor(field).filter((k) => kind === undefined || k.kind === kind).map((k) => k.apiGroup))].filter((g) => g !== '');
  return groups.map((g, i) => ({ label: g, kind: 'value' as const, documentation: `API group of ${kindsFor(field).filter((k) => k.apiGroup === g).map((k) => k.kind).join(', ')}.`, rank: i }));
}

/** At most this many names; beyond, the list is incomplete and the editor asks again as the user types. */
export const maxNames = 200;

function nameItems(ctx: CompletionContext): { items: CompletionItem[]; more: boolean } {
  const kind = sibling(ctx, 'kind');
  const ns = sibling(ctx, 'namespace') ?? ctx.object.namespace;
  const prefix = ctx.cursor.prefix;
  const named: { name: string; detail: string; doc: string }[] = [];
  if (kind === 'VolumeSnapshot') {
    for (const s of ctx.facts.volumeSnapshots?.(ns) ?? []) {
      const size = s.restoreSizeBytes === undefined ? 'no restoreSize yet' : `restoreSize ${s.restoreSizeText}`;
      named.push({ name: s.name, detail: `${size}${s.readyToUse === false ? ' · not ready' : ''}`, doc: `**VolumeSnapshot ${ns}/${s.name}** — ${s.restoreSizeBytes === undefined ? 'no `status.restoreSize` yet' : `restoreSize ${s.restoreSizeText} = ${groupDigits(s.restoreSizeBytes)} bytes: request at least this`}; readyToUse: ${s.readyToUse ?? 'unknown'}; from ${fromWhere(s.source)}.` });
    }
  } else {
    const objects = sourceKinds.find((k) => k.kind === kind)?.objects;
    for (const o of objects ? (ctx.facts.claimObjects?.(objects, ns) ?? []) : []) {
      const src = o.populatorSource;
      const detail = o.requestText ? `${o.requestText}${o.phase ? ` · ${o.phase}` : ''}` : src?.name ? `${src.kind ?? 'PersistentVolumeClaim'} ${src.name}` : (src?.url ?? '');
      named.push({ name: o.name, detail, doc: `**${o.kind} ${ns}/${o.name}**${detail ? ` — ${detail}` : ''}; from ${fromWhere(o.source)}.` });
    }
  }
  const matching = named.filter((n) => n.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    items: matching.slice(0, maxNames).map((n, i) => ({ label: n.name, kind: 'reference' as const, detail: n.detail, documentation: n.doc, rank: i })),
    more: matching.length > maxNames,
  };
}

export const dataSources: CompletionProvider = {
  id: 'data-sources',
  provide(ctx) {
    for (const field of ['dataSourceRef', 'dataSource']) {
      if (claimValue(ctx, field, 'kind')) return kindItems(ctx, field);
      if (claimValue(ctx, field, 'apiGroup')) return groupItems(ctx, field);
      if (claimValue(ctx, field, 'name')) {
        const r = nameItems(ctx);
        return { items: r.items, isIncomplete: r.more };
      }
    }
    return [];
  },
};

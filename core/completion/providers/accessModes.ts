/** `accessModes` items, ranked by the class's StorageProfile `claimPropertySets` (CDI's choice first). */
import { classAtCursor, specField } from '../items.js';
import type { CompletionItem, CompletionProvider } from '../types.js';
import { stringList } from '../../yaml/documents.js';

export const accessModeDocs = new Map<string, string>([
  ['ReadWriteOnce', 'Read-write by the pods of one node.'],
  ['ReadWriteMany', 'Read-write by many nodes: what live migration of a VM needs.'],
  ['ReadOnlyMany', 'Read-only by many nodes.'],
  ['ReadWriteOncePod', 'Read-write by a single pod (CSI only).'],
]);

export const accessModes: CompletionProvider = {
  id: 'access-modes',
  provide(ctx) {
    const rest = ctx.claim?.rest;
    if (ctx.cursor.role !== 'item' || rest?.length !== 2 || rest[0] !== 'accessModes') return [];
    const sc = classAtCursor(ctx);
    const profile = sc ? ctx.facts.storageProfile(sc.name) : undefined;
    const volumeMode = specField(ctx, 'volumeMode');
    const sets = (profile?.claimPropertySets ?? []).filter((s) => volumeMode === undefined || volumeMode === 'FromStorageProfile' || s.volumeMode === volumeMode);
    const written = new Set(stringList(ctx.doc, [...ctx.object.base, ...ctx.claim!.at.spec, 'accessModes']) ?? []);
    written.delete(ctx.cursor.prefix);
    const order: string[] = [];
    for (const s of sets) for (const m of s.accessModes) if (!order.includes(m)) order.push(m);
    for (const m of accessModeDocs.keys()) if (!order.includes(m)) order.push(m);
    return order
      .filter((m) => !written.has(m))
      .map((m, i): CompletionItem => {
        const at = sets.findIndex((s) => s.accessModes.includes(m));
        const where = sc === undefined ? 'no class is known for this claim' : at < 0 ? `not in StorageProfile ${sc.name}'s claimPropertySets` : `StorageProfile ${sc.name} claimPropertySets[${profile!.claimPropertySets.indexOf(sets[at]!)}] (${sets[at]!.volumeMode ?? 'no volume mode'})`;
        return {
          label: m,
          kind: 'enum',
          detail: at === 0 ? `CDI's pick · ${sc!.name}` : at > 0 ? `${sc!.name} supports it` : '',
          documentation: `**${m}** — ${accessModeDocs.get(m) ?? ''}\n\n${where}${at === 0 ? ': CDI fills this when `accessModes` is left out.' : '.'}`,
          rank: i,
          ...(at === 0 && i === 0 ? { preselect: true } : {}),
        };
      });
  },
};

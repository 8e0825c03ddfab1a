/** `volumeMode` values, ranked by the class's StorageProfile; FromStorageProfile where CDI accepts it. */
import { LABEL } from '../../kinds/index.js';
import { stringList, stringMap } from '../../yaml/documents.js';
import { claimValue, classAtCursor } from '../items.js';
import type { CompletionItem, CompletionProvider } from '../types.js';

const docs = new Map<string, string>([
  ['Block', 'A raw block device: the VM disk image is written to it as is, with no filesystem overhead.'],
  ['Filesystem', 'A filesystem with the disk image as a file on it: CDI requests more than the image size (its filesystem overhead, 6 % by default from v1.63).'],
  ['FromStorageProfile', `Let CDI take the mode from the class's StorageProfile (a PVC needs the \`${LABEL.applyStorageProfile}: "true"\` label; the API server rejects the value otherwise).`],
]);

export const volumeModes: CompletionProvider = {
  id: 'volume-modes',
  provide(ctx) {
    if (!claimValue(ctx, 'volumeMode')) return [];
    const { at } = ctx.claim!;
    const sc = classAtCursor(ctx);
    const profile = sc ? ctx.facts.storageProfile(sc.name) : undefined;
    const modes = stringList(ctx.doc, [...ctx.object.base, ...at.spec, 'accessModes']) ?? [];
    const sets = profile?.claimPropertySets ?? [];
    // getDefaultVolumeMode: the first set sharing an access mode; with none written, the first set.
    const match = modes.length === 0 ? sets[0] : sets.find((s) => s.accessModes.some((m) => modes.includes(m)));
    const order = ['Block', 'Filesystem'].sort((a, b) => (a === match?.volumeMode ? -1 : b === match?.volumeMode ? 1 : 0));
    const labelled = stringMap(ctx.doc, [...ctx.object.base, ...at.metadata, 'labels'])[LABEL.applyStorageProfile] === 'true';
    const flavour = at.place.flavour;
    if (flavour === 'template' || flavour === 'dv-storage' || ((flavour === 'pvc' || flavour === 'sts-template') && labelled)) order.push('FromStorageProfile');
    return order.map((m, i): CompletionItem => {
      const supported = sets.filter((s) => s.volumeMode === m);
      const pick = m === match?.volumeMode;
      const where = sc === undefined ? '' : m === 'FromStorageProfile' ? '' : supported.length > 0 ? `\n\nStorageProfile ${sc.name}: ${supported.map((s) => s.accessModes.join('+')).join(', ')} with ${m}${pick ? ' — what CDI picks here' : ''}.` : `\n\nNot in StorageProfile ${sc.name}'s claimPropertySets.`;
      return { label: m, kind: 'enum', detail: pick ? `CDI's pick · ${sc!.name}` : '', documentation: `**${m}** — ${docs.get(m) ?? ''}${where}`, rank: i, ...(pick ? { preselect: true } : {}) };
    });
  },
};

/** `storageClassName` values: the classes of the workspace and the cluster, the one CDI would pick first. */
import { describeSets } from '../../claimSpecs/describe.js';
import type { StorageClassFact } from '../../facts.js';
import { groupDigits } from '../../quantity.js';
import { claimValue, defaultClassFor, fromWhere } from '../items.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

function item(ctx: CompletionContext, sc: StorageClassFact, picked: StorageClassFact | undefined, rank: number): CompletionItem {
  const profile = ctx.facts.storageProfile(sc.name);
  const marks = [...(sc.isDefaultVirt ? ['virt default'] : []), ...(sc.isDefault ? ['default'] : [])];
  const sets = profile && profile.claimPropertySets.length > 0 ? describeSets(profile.claimPropertySets) : undefined;
  const lines = [
    `**StorageClass ${sc.name}**${marks.length ? ` (${marks.join(', ')})` : ''}`,
    '',
    `- provisioner: \`${sc.provisioner ?? 'unknown'}\``,
    ...(sc.volumeBindingMode ? [`- volumeBindingMode: ${sc.volumeBindingMode}`] : []),
    profile
      ? `- StorageProfile claimPropertySets (${profile.claimPropertySetsFrom}): ${sets ?? 'none'}${sets ? ' — CDI takes access and volume modes from the first' : ''}`
      : '- StorageProfile: not known (CDI creates one per class)',
    ...(profile?.minimumSupportedPvcSizeBytes !== undefined ? [`- minimumSupportedPvcSize: ${profile.minimumSupportedPvcSizeText} = ${groupDigits(profile.minimumSupportedPvcSizeBytes)} bytes (CDI raises smaller requests)`] : []),
    `- from ${fromWhere(sc.source)}`,
    ...(picked?.name === sc.name ? ['', 'CDI picks this class when `storageClassName` is left out here.'] : []),
  ];
  return {
    label: sc.name,
    kind: 'class',
    detail: [...marks, sc.provisioner ?? '', sets ?? ''].filter((s) => s !== '').join(' · '),
    documentation: lines.join('\n'),
    rank,
    ...(picked?.name === sc.name ? { preselect: true } : {}),
  };
}

export const storageClasses: CompletionProvider = {
  id: 'storage-classes',
  provide(ctx) {
    if (!claimValue(ctx, 'storageClassName')) return [];
    const picked = defaultClassFor(ctx.claim!.at.place.flavour, ctx.facts);
    const classes = [...ctx.facts.storageClasses()].sort((a, b) => {
      const score = (sc: StorageClassFact) => (sc.name === picked?.name ? 0 : sc.isDefaultVirt || sc.isDefault ? 1 : 2);
      return score(a) - score(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    return classes.map((sc, i) => item(ctx, sc, picked, i));
  },
};

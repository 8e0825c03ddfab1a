/** Keys: of a claim spec and its nested maps, of a VolumeClaimTemplate item and its metadata, of a VM spec. */
import { keysAt, templateKeys, templateMetadataKeys, vmSpecKeys } from '../claimSchema.js';
import { keyItems, keyOf } from '../items.js';
import type { CompletionProvider } from '../types.js';

export const claimKeys: CompletionProvider = {
  id: 'claim-keys',
  provide(ctx) {
    const { cursor } = ctx;
    if (ctx.claim && cursor.role === 'key') {
      const keys = keysAt(ctx.claim.rest);
      return keys ? keyItems(ctx, keys, ctx.claim.at.place.flavour) : [];
    }
    for (const kind of ['VirtualMachine', 'StatefulSet']) {
      if (keyOf(ctx, kind, ['spec', 'volumeClaimTemplates', 0])) return keyItems(ctx, templateKeys);
      if (keyOf(ctx, kind, ['spec', 'volumeClaimTemplates', 0, 'metadata']) && cursor.role === 'key') return keyItems(ctx, templateMetadataKeys);
    }
    if (keyOf(ctx, 'VirtualMachine', ['spec', 'dataVolumeTemplates', 0, 'metadata']) && cursor.role === 'key') return keyItems(ctx, templateMetadataKeys);
    if (keyOf(ctx, 'VirtualMachine', ['spec']) && cursor.role === 'key') return keyItems(ctx, vmSpecKeys);
    return [];
  },
};

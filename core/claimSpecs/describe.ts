/** A claim's render in words: the hover's markdown ("CDI will render: class X (why), modes …, size N bytes …"). */
import type { ClaimPropertySet } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { ClaimFlavour } from './places.js';
import type { RenderedClaim } from './render.js';

/** Who renders a claim of this place, for the first line. */
export function renderer(flavour: ClaimFlavour, webhookApplies: boolean): string {
  switch (flavour) {
    case 'pvc':
    case 'sts-template':
      return webhookApplies ? "CDI's PVC webhook (RenderPvc), after the API server's defaults" : 'nobody: no `applyStorageProfile` label, so CDI\'s webhook leaves the PVC alone';
    case 'template':
      return "the VM controller's in-process RenderPvc, as the VolumeClaimTemplates design has it (KubeVirt has not merged it: expand the templates into PVCs)";
    case 'dv-storage':
      return 'the DataVolume controller (`spec.storage`)';
    case 'dv-pvc':
      return 'nobody: `spec.pvc` is copied verbatim, StorageProfiles bypassed (use `spec.storage`)';
  }
}

/** Whether CDI renders the claim at all. */
export function isRendered(rc: RenderedClaim): boolean {
  const f = rc.spec.claim.place.flavour;
  return f === 'template' || f === 'dv-storage' || ((f === 'pvc' || f === 'sts-template') && rc.result.webhookApplies);
}

/** The hover's markdown for a rendered claim. */
export function describeRender(rc: RenderedClaim): string {
  const { result, rendered, why } = rc;
  const flavour = rc.spec.claim.place.flavour;
  const head = `**${rc.spec.claim.describe}** — rendered by ${renderer(flavour, result.webhookApplies)}`;
  if (!isRendered(rc)) return head;
  if (result.denials.length > 0) {
    return [head, '', `**CDI will reject it**: ${result.denials.map((d) => `\`${d}\``).join('; ')}`, ...unknowns(rc)].join('\n');
  }
  if (result.refusals.length > 0) {
    return [head, '', `**The API server will refuse it**: ${result.refusals.join('; ')}`, ...unknowns(rc)].join('\n');
  }
  const bytes = rc.sourceSize?.bytes ?? (result.renderedBytes !== undefined && result.renderedBytes !== 0n ? result.renderedBytes : rc.spec.request?.bytes);
  return [
    head,
    '',
    '**CDI will render:**',
    `- class: ${rendered.storageClassName === undefined ? '—' : `**${rendered.storageClassName}**`} (${why.storageClassName})`,
    `- access modes: ${rendered.accessModes?.length ? rendered.accessModes.join(', ') : '—'} (${why.accessModes})`,
    `- volume mode: ${rendered.volumeMode ?? '—'} (${why.volumeMode})`,
    `- size: ${bytes === undefined ? (rendered.storage ?? 'none') : `**${groupDigits(bytes)} bytes**`} (${why.storage})`,
    ...unknowns(rc),
  ].join('\n');
}

function unknowns(rc: RenderedClaim): string[] {
  return rc.result.unknowns.length === 0 ? [] : ['', ...rc.result.unknowns.map((u) => `- not known: ${u}`)];
}

const shortModes = new Map([
  ['ReadWriteOnce', 'RWO'],
  ['ReadWriteMany', 'RWX'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteOncePod', 'RWOP'],
]);

/** "RWX Block, RWO Filesystem": a StorageProfile's claimPropertySets, short. */
export function describeSets(sets: readonly ClaimPropertySet[]): string {
  return sets.map((s) => `${s.accessModes.map((m) => shortModes.get(m) ?? m).join('+') || '—'} ${s.volumeMode ?? '(no mode)'}`).join(', ');
}

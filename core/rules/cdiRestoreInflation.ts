/**
 * `cdi-restore-inflation`: a restore PVC labelled cdi.kubevirt.io/applyStorageProfile=true that CDI's PVC
 * webhook will inflate (filesystem overhead) above the snapshot's restoreSize. This is what breaks KubeVirt
 * restores of TPM/EFI persistent-state PVCs on strict drivers before CDI v1.64.
 */
import { renderPvc } from '../cdi/render.js';
import type { Restore } from '../claims.js';
import { rangeIn, renderInput } from '../claims.js';
import { LABEL } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Finding, Fix } from '../types.js';
import { removeMapEntryEdit } from '../yaml/documents.js';
import type { Sized } from './restoreCommon.js';
import { renderKinds, restoreKinds, sized, sizedRestore, snapshotName, strictness } from './restoreCommon.js';
import type { Rule, RuleContext } from './rule.js';

function removeLabelFix(r: Restore): Fix | undefined {
  const edit = removeMapEntryEdit(r.doc, [...r.claim.objectPath, 'metadata', 'labels', LABEL.applyStorageProfile]);
  if (!edit) return undefined;
  // Without the label CDI no longer fills class, access modes and volume mode from the StorageProfile:
  // only safe as the preferred fix when the spec already states them.
  const spec = r.claim.spec;
  const explicit = spec.storageClassName !== undefined && spec.accessModes !== undefined && spec.volumeMode !== undefined;
  return {
    title: explicit
      ? `Remove the ${LABEL.applyStorageProfile} label (CDI then leaves the size alone)`
      : `Remove the ${LABEL.applyStorageProfile} label (CDI then leaves the size alone, and no longer fills StorageProfile defaults)`,
    preferred: explicit,
    edits: [edit],
  };
}

function check(ctx: RuleContext, r: Restore, s: Sized, label: NonNullable<Restore['claim']['label']>): Finding | undefined {
  const render = renderPvc(renderInput(r), ctx.facts, ctx.settings);
  if (!render.webhookApplies || render.renderedBytes === undefined || render.renderedBytes <= s.restoreBytes) return undefined;
  const provisioner = render.storageClassName ? ctx.facts.storageClass(render.storageClassName)?.provisioner : undefined;
  const { severity, why } = strictness(provisioner, ctx.settings);
  const minimum = render.minimumApplied ? ` (raised to the StorageProfile's minimumSupportedPvcSize)` : '';
  const fix = removeLabelFix(r);
  return {
    rule: 'cdi-restore-inflation',
    severity,
    message:
      `CDI's PVC webhook will inflate ${r.claim.describe} from ${sized(s.request.text, s.requested)} to ` +
      `${groupDigits(render.renderedBytes)} bytes${minimum}, above ${snapshotName(r)}'s restoreSize ` +
      `${sized(s.restoreText, s.restoreBytes)}: filesystem overhead ${render.overhead ?? '?'} from ${render.overheadSource ?? 'unknown'}; ` +
      `${render.cdi.describe}. ${why[0]!.toUpperCase()}${why.slice(1)}. Remove the label, deploy the restore-size webhook (kvstorage apply webhook), or upgrade CDI to v1.64 or later.`,
    file: ctx.file,
    range: { start: rangeIn(r, label.keyNode).start, end: rangeIn(r, label.valueNode).end },
    fixes: fix ? [fix] : [],
    data: {
      requestedBytes: String(s.requested),
      restoreSizeBytes: String(s.restoreBytes),
      predictedBytes: String(render.renderedBytes),
      overhead: render.overhead ?? '',
      overheadSource: render.overheadSource ?? '',
      cdiVersion: render.cdi.version,
      cdiVersionSource: render.cdi.source,
      snapshot: `${r.snapshotNamespace}/${r.claim.ref.name}`,
      ...(render.storageClassName ? { storageClass: render.storageClassName } : {}),
      ...(provisioner ? { provisioner } : {}),
    },
  };
}

export const cdiRestoreInflation: Rule = {
  id: 'cdi-restore-inflation',
  defaultSeverity: 'warning',
  title: "CDI will inflate this restore PVC above the snapshot's restoreSize",
  description:
    `A PVC labelled ${LABEL.applyStorageProfile}=true that restores a VolumeSnapshot is inflated by CDI's PVC webhook (filesystem overhead) before CDI v1.64, and strict CSI drivers then refuse the restore.`,
  reads: 'facts',
  kinds: [...restoreKinds, ...renderKinds],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const label = r.claim.label;
      if (label?.value !== 'true') continue;
      const s = sizedRestore(r);
      const f = s && check(ctx, r, s, label);
      if (f) out.push(f);
    }
    return out;
  },
};

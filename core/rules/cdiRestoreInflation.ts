/**
 * `cdi-restore-inflation`: a restore PVC labelled cdi.kubevirt.io/applyStorageProfile=true that CDI's PVC
 * webhook will inflate (filesystem overhead) above the snapshot's restoreSize. This is what breaks KubeVirt
 * restores of TPM/EFI persistent-state PVCs on strict drivers before CDI v1.64.
 */
import { describeOlder, olderRenders } from '../cdi/olderReleases.js';
import type { RenderResult } from '../cdi/render.js';
import { renderPvc } from '../cdi/render.js';
import { storedRequest } from '../probe/stored.js';
import type { Restore } from '../claims.js';
import { rangeIn, renderInput } from '../claims.js';
import { LABEL } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Finding, Fix } from '../types.js';
import { removeMapEntryEdit } from '../yaml/documents.js';
import type { Sized } from './restoreCommon.js';
import { factsSentence, renderKinds, restoreKinds, restoreSizeWords, sized, sizedRestore, strictness, strictnessFor } from './restoreCommon.js';
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

/** The figures every finding of the rule carries. */
function baseFigures(r: Restore, s: Sized, render: RenderResult, provisioner: string | undefined): Record<string, string> {
  return {
    requestedBytes: String(s.requested),
    restoreSizeBytes: String(s.restoreBytes),
    overhead: render.overhead ?? '',
    overheadSource: render.overheadSource ?? '',
    cdiVersion: render.cdi.version,
    cdiVersionSource: render.cdi.source,
    webhook: render.webhook.basis,
    snapshot: `${r.snapshotNamespace}/${r.claim.ref.name}`,
    ...(render.storageClassName ? { storageClass: render.storageClassName } : {}),
    ...(provisioner ? { provisioner } : {}),
  };
}

/**
 * No version known: the newest release is assumed, which leaves snapshot restores alone; say, as information, what
 * the releases that still inflate would store.
 */
function olderReleasesInfo(ctx: RuleContext, r: Restore, s: Sized, render: RenderResult, range: Finding['range'], fix: Fix | undefined): Finding | undefined {
  const older = olderRenders(renderInput(r), ctx.facts, ctx.settings).filter((o) => o.bytes > s.restoreBytes);
  const first = older[0];
  if (!first) return undefined;
  const provisioner = first.render.storageClassName ? ctx.facts.storageClass(first.render.storageClassName)?.provisioner : undefined;
  return {
    rule: 'cdi-restore-inflation',
    severity: 'info',
    message:
      `${render.cdi.describe}: its PVC webhook leaves ${r.claim.describe} (a VolumeSnapshot restore) at ${sized(s.request.text, s.requested)}. ` +
      `Older releases would inflate it above ${restoreSizeWords(s)}: ${describeOlder(older)}; ` +
      `${strictness(provisioner, ctx.settings).why}. Set the CDI version to check this cluster's.` +
      factsSentence(first.render.factsUsed.slice(1)),
    file: ctx.file,
    range,
    fixes: fix ? [fix] : [],
    data: Object.assign(baseFigures(r, s, render, provisioner), { predictedBytes: String(s.requested), olderReleases: older.map((o) => `${o.version}=${o.bytes}`).join(',') }),
  };
}

function check(ctx: RuleContext, r: Restore, s: Sized, label: NonNullable<Restore['claim']['label']>): Finding | undefined {
  const input = renderInput(r);
  const render = renderPvc(input, ctx.facts, ctx.settings);
  const stored = storedRequest(input, render, ctx.facts, ctx.settings);
  const range = { start: rangeIn(r, label.keyNode).start, end: rangeIn(r, label.valueNode).end };
  const fix = removeLabelFix(r);
  const liveKnown = stored.basis === 'live' || stored.basis === 'live-untouched';
  if (render.cdi.source === 'assumed' && !liveKnown && !(render.webhookApplies && render.inflated)) return olderReleasesInfo(ctx, r, s, render, range, fix);
  if (stored.bytes === undefined || stored.bytes <= s.restoreBytes) return undefined;
  if (!liveKnown && !(render.webhookApplies && render.renderedBytes !== undefined)) return undefined;
  const provisioner = render.storageClassName ? ctx.facts.storageClass(render.storageClassName)?.provisioner : undefined;
  const uncertain = stored.basis === 'live' ? [] : render.uncertain;
  const { severity, why } = strictnessFor(provisioner, ctx.settings, uncertain);
  const minimum = render.minimumApplied && stored.basis !== 'live' ? ` (raised to the StorageProfile's minimumSupportedPvcSize)` : '';
  const will = uncertain.length > 0 ? 'may inflate' : 'will inflate';
  const maybe = uncertain.length > 0 ? ` It may not: ${uncertain.join('; ')}.` : '';
  return {
    rule: 'cdi-restore-inflation',
    severity,
    message:
      `CDI's PVC webhook ${will} ${r.claim.describe} from ${sized(s.request.text, s.requested)} to ` +
      `${groupDigits(stored.bytes)} bytes${minimum}, above ` +
      `${restoreSizeWords(s)}: ${why}.${maybe} Remove the label, deploy the restore-size webhook (kvstorage apply webhook), or upgrade CDI to v1.64 or later.` +
      factsSentence(render.factsUsed, stored),
    file: ctx.file,
    range,
    fixes: fix ? [fix] : [],
    data: Object.assign(baseFigures(r, s, render, provisioner), { predictedBytes: String(stored.bytes), basis: stored.basis }, uncertain.length > 0 ? { uncertain: 'true' } : {}),
  };
}

export const cdiRestoreInflation: Rule = {
  id: 'cdi-restore-inflation',
  defaultSeverity: 'warning',
  title: "CDI will inflate this restore PVC above the snapshot's restoreSize",
  description:
    `A PVC labelled ${LABEL.applyStorageProfile}=true that restores a VolumeSnapshot is inflated by CDI's PVC webhook (filesystem overhead) before CDI v1.64 (when the webhook exists: the WebhookPvcRendering gate), and strict CSI drivers then refuse the restore. With no CDI version known the newest is assumed, and what older releases would do is reported as information.`,
  reads: 'facts',
  kinds: [...restoreKinds, ...renderKinds],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const label = r.claim.label;
      if (label?.value !== 'true') continue;
      const s = sizedRestore(r, ctx.facts);
      const f = s && check(ctx, r, s, label);
      if (f) out.push(f);
    }
    return out;
  },
};

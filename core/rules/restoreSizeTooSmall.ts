/**
 * `restore-size-too-small`: a restore PVC will ask for less than the snapshot's restoreSize; it cannot be
 * provisioned. Judged on the request the API server will store (facts §0.7): CDI's PVC webhook inflates a labelled
 * PVC first (before v1.64), and the CSI external-provisioner refuses only `requested < restoreSize`.
 */
import { renderPvc } from '../cdi/render.js';
import { renderInput } from '../claims.js';
import { storedRequest } from '../probe/stored.js';
import { groupDigits } from '../quantity.js';
import type { Finding } from '../types.js';
import { baseData, factsSentence, renderKinds, requestRange, restoreKinds, setToRestoreSize, restoreSizeWords, sized, sizedRestore } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const restoreSizeTooSmall: Rule = {
  id: 'restore-size-too-small',
  defaultSeverity: 'error',
  title: 'Restore PVC smaller than the snapshot',
  description: "A PVC restoring a VolumeSnapshot will ask for less than the snapshot's restoreSize (the request as stored: after CDI's webhook, where it renders the PVC); provisioning fails.",
  reads: 'facts',
  kinds: [...restoreKinds, ...renderKinds],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const s = sizedRestore(r, ctx.facts);
      if (!s || s.requested >= s.restoreBytes) continue;
      const input = renderInput(r);
      const render = renderPvc(input, ctx.facts, ctx.settings);
      const stored = storedRequest(input, render, ctx.facts, ctx.settings);
      const bytes = stored.bytes ?? s.requested;
      if (bytes >= s.restoreBytes) continue;
      const changed = bytes !== s.requested;
      out.push({
        rule: 'restore-size-too-small',
        severity: 'error',
        message:
          `${r.claim.describe} asks for ${sized(s.request.text, s.requested)}` +
          (changed ? `, which the API server will store as ${groupDigits(bytes)} bytes,` : ',') +
          ` less than ${restoreSizeWords(s)}: a volume restored from a snapshot cannot be smaller than it. Set the request to ${s.restoreText}.` +
          (render.webhookApplies || stored.live ? factsSentence(render.factsUsed, stored) : ''),
        file: ctx.file,
        range: requestRange(s),
        fixes: setToRestoreSize(s, true),
        data: Object.assign(baseData(s), { storedBytes: String(bytes), basis: stored.basis }),
      });
    }
    return out;
  },
};

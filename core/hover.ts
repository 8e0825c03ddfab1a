/** Hover text: a quantity's exact bytes, and what a restore PVC will become (restoreSize, CDI's render). */
import type { PvcSpecInput, RenderResult } from './cdi/render.js';
import { renderPvc } from './cdi/render.js';
import { predictVmRestore } from './kubevirt/vmRestore.js';
import { storedRequest } from './probe/stored.js';
import { restoreTargetOf } from './rules/vmRestoreInflation.js';
import { describeRender } from './claimSpecs/describe.js';
import { claimsIn } from './claimSpecs/places.js';
import { readClaim } from './claimSpecs/read.js';
import { renderClaim } from './claimSpecs/render.js';
import type { Restore } from './claims.js';
import { claimsOf, renderInput, restoreOf } from './claims.js';
import type { Facts } from './facts.js';
import { LABEL } from './kinds/index.js';
import { groupDigits, humanBytes, parseQuantity } from './quantity.js';
import { quantityFields } from './quantityFields.js';
import type { Resource } from './resources.js';
import type { Position, Range, Settings } from './types.js';
import type { YamlDoc } from './yaml/documents.js';
import { nodeAtPosition, scalarString } from './yaml/documents.js';

export interface HoverInfo {
  range: Range;
  /** Markdown. */
  contents: string;
  /** The hover is on a PVC or VirtualMachineRestore that "Check with the cluster" can send (adapters add the link). */
  checkable?: boolean;
}

const samePath = (a: (string | number)[], b: (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (a: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.every((x, i) => a[i] === x);

function quantityHover(r: Resource, path: (string | number)[]): string | undefined {
  const field = quantityFields(r).find((f) => samePath(f.path, path));
  const text = field && scalarString(r.doc, field.path);
  if (text === undefined) return undefined;
  const q = parseQuantity(text);
  if (!q.ok) return `**${text}** is not a valid Kubernetes quantity: ${q.error}`;
  const b = q.quantity.bytes;
  const rounded = q.quantity.exact ? '' : ' (Kubernetes rounds a fractional byte count up)';
  return `**${text}** = ${groupDigits(b)} bytes (${humanBytes(b)})${rounded}`;
}

/** The cluster's answer for PVCs like this one, when it was asked (probe/stored.ts). */
function liveLines(input: PvcSpecInput, render: RenderResult, facts: Facts, settings: Settings): string[] {
  const stored = storedRequest(input, render, facts, settings);
  const live = stored.live;
  if (!live) return [];
  const s = live.stored;
  const answer = s
    ? `storageClassName ${s.storageClassName ?? '—'}, volumeMode ${s.volumeMode ?? '—'}, request ${s.requestBytes === undefined ? '—' : `${groupDigits(s.requestBytes)} bytes`}`
    : `refused: ${live.refused}`;
  return [`- **the cluster's answer** (dry run at ${live.at}): ${answer}`, `  - ${stored.describe ?? ''}`];
}

function renderLines(input: PvcSpecInput, facts: Facts, settings: Settings): string[] {
  const render = renderPvc(input, facts, settings);
  const lines: string[] = [];
  if (!render.webhookApplies) {
    lines.push(`- CDI's PVC webhook: does not render it (${render.webhook.describe})`);
    if (render.storageClassFrom === 'admission-default') lines.push(`- storageClassName: ${render.storageClassName}, filled in by the API server (the Kubernetes default class)`);
    return [...lines, ...liveLines(input, render, facts, settings)];
  }
  const cls = render.storageClassName ? `${render.storageClassName} (${render.storageClassFrom})` : `none (${render.storageClassFrom})`;
  lines.push(`- CDI render (${render.cdi.describe}):`);
  lines.push(`  - webhook: ${render.webhook.describe}`);
  lines.push(`  - storageClassName: ${cls}; volumeMode: ${render.volumeMode} (${render.volumeModeFrom}); accessModes: ${render.accessModes.join(', ') || '—'}`);
  if (render.renderedBytes !== undefined && render.inflated) {
    lines.push(`  - size: ${groupDigits(render.renderedBytes)} bytes (overhead ${render.overhead} from ${render.overheadSource}${render.minimumApplied ? ', raised to minimumSupportedPvcSize' : ''})`);
  } else if (render.renderedBytes !== undefined) {
    lines.push(`  - size: ${groupDigits(render.renderedBytes)} bytes${render.sizeNote ? ` (${render.sizeNote})` : ''}`);
  } else {
    lines.push(`  - size: unchanged${render.sizeNote ? ` (${render.sizeNote})` : ''}`);
  }
  for (const u of render.uncertain) lines.push(`  - may differ: ${u}`);
  for (const d of render.denials) lines.push(`  - CDI would reject the PVC: ${d}`);
  for (const d of render.refusals) lines.push(`  - the API server would refuse the PVC: ${d}`);
  return [...lines, ...liveLines(input, render, facts, settings)];
}

function restoreHover(restore: Restore, facts: Facts, settings: Settings): string {
  const ref = restore.claim.ref;
  const lines = [`**Restore of VolumeSnapshot ${restore.snapshotNamespace}/${ref.name}** (via \`${ref.via}\`)`];
  const snap = restore.snapshot;
  if (!snap) lines.push('- snapshot: not found in the analysed files or the cluster');
  else if (snap.restoreSizeBytes === undefined) lines.push(`- restoreSize: not reported yet (readyToUse: ${snap.readyToUse ?? 'unknown'})`);
  else lines.push(`- restoreSize: ${snap.restoreSizeText} = ${groupDigits(snap.restoreSizeBytes)} bytes (readyToUse: ${snap.readyToUse ?? 'unknown'})`);
  const req = restore.claim.request;
  if (req) lines.push(`- requested: ${req.text} = ${groupDigits(req.quantity.bytes)} bytes`);
  return [...lines, ...renderLines(renderInput(restore), facts, settings)].join('\n');
}

/** A VirtualMachineRestore: the restore PVCs KubeVirt will create (their names, restoreVolumeName) and what they become. */
function vmRestoreHover(r: Resource, facts: Facts, settings: Settings): string | undefined {
  const snapshot = scalarString(r.doc, [...r.base, 'spec', 'virtualMachineSnapshotName']);
  if (!snapshot || !r.name) return undefined;
  const namespace = r.namespace ?? settings.defaultNamespace;
  const p = predictVmRestore(snapshot, restoreTargetOf(r, namespace), facts, settings);
  if (!p.ok) return `**Restore of VirtualMachineSnapshot ${namespace}/${snapshot}**: ${p.reason}`;
  const lines = [`**Restore of VirtualMachineSnapshot ${namespace}/${snapshot}**: ${p.volumes.length} restore PVC${p.volumes.length === 1 ? '' : 's'}`];
  for (const v of p.volumes) {
    lines.push(`- \`${v.pvc.name}\` (volume ${v.pvc.volumeName}): asks ${v.pvc.requestBytes === undefined ? '—' : `${groupDigits(v.pvc.requestBytes)} bytes`}, will store ${v.finalBytes === undefined ? '—' : `${groupDigits(v.finalBytes)} bytes`}${v.snapshot?.restoreSizeBytes !== undefined ? `; restoreSize ${groupDigits(v.snapshot.restoreSizeBytes)} bytes` : ''}`);
    for (const l of renderLines(v.pvc.input, facts, settings)) lines.push(`  ${l}`);
  }
  return lines.join('\n');
}

/** Hover at `pos` of document `d` (the one holding it), given its resources. */
export function hoverAt(d: YamlDoc, resources: Resource[], pos: Position, facts: Facts, settings: Settings): HoverInfo | undefined {
  const at = nodeAtPosition(d, pos);
  if (!at) return undefined;
  const r = resources.find((x) => x.doc === d && startsWith(at.path, x.base));
  if (!r) return undefined;
  const parts: string[] = [];
  const q = quantityHover(r, at.path);
  if (q) parts.push(q);
  const claim = claimsOf(d, resources).find((c) => startsWith(at.path, [...c.objectPath]));
  const rel = claim ? at.path.slice(claim.objectPath.length).join('.') : '';
  const onRestoreParts = /^(metadata\.name|metadata\.labels|spec\.dataSource|spec\.dataSourceRef|spec\.resources)/.test(rel);
  const restore = claim && onRestoreParts ? restoreOf(d, claim, facts, settings.defaultNamespace) : undefined;
  if (restore) parts.push(restoreHover(restore, facts, settings));
  const onRestoreSpec = r.kind === 'VirtualMachineRestore' && /^(metadata\.name|spec)/.test(at.path.slice(r.base.length).join('.'));
  const vm = onRestoreSpec ? vmRestoreHover(r, facts, settings) : undefined;
  if (vm) parts.push(vm);
  else if (!restore) {
    // Any other claim spec: what CDI will render it to (or why it will reject it), on its spec's keys.
    const written = claimsIn(r).find((c) => startsWith(at.path, c.specPath));
    if (written) parts.push(describeRender(renderClaim(readClaim(written, settings.defaultNamespace), facts, settings)));
  }
  if (!parts.length) return undefined;
  return { range: at.range, contents: parts.join('\n\n---\n\n'), ...(restore || vm ? { checkable: true } : {}) };
}

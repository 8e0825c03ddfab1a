/**
 * What the eight VolumeResize rules share: each VolumeResize of a document is validated once per analysis run
 * (core/volumeResize/validate.ts) and every rule reports the problems of its own id, on the field each is about.
 */
import type { KindName } from '../kinds/index.js';
import type { Finding } from '../types.js';
import { volumeResizeManifest } from '../volumeResize/manifest.js';
import { validateResize, type ResizeProblem, type VolumeResizeRuleId } from '../volumeResize/validate.js';
import { perRun, type Rule, type RuleContext } from './rule.js';

/** The kinds the rules read: the VolumeResize they report on, and what they check it against. */
export const volumeResizeKinds: readonly KindName[] = ['VolumeResize', 'StatefulSet', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'StorageClass'];

const FINDINGS = Symbol('VolumeResize findings');

function toFinding(ctx: RuleContext, m: ReturnType<typeof volumeResizeManifest>, p: ResizeProblem): Finding {
  const fixes = p.replace
    ?.map((x, i) => {
      const edit = m.edit(p.at, x.value);
      return edit ? { title: x.title, ...(i === 0 && p.replace!.length === 1 ? { preferred: true } : {}), edits: [edit] } : undefined;
    })
    .filter((f) => f !== undefined);
  return {
    rule: p.rule,
    severity: p.severity,
    message: p.message,
    file: ctx.file,
    range: m.range(p.at),
    ...(fixes && fixes.length > 0 ? { fixes } : {}),
    ...(p.data ? { data: p.data } : {}),
  };
}

/** Every VolumeResize finding of the document, computed on the first rule's call. */
function allFindings(ctx: RuleContext): Finding[] {
  return perRun(ctx, FINDINGS, findingsOf);
}

function findingsOf(ctx: RuleContext): Finding[] {
  const found: Finding[] = [];
  for (const r of ctx.resources) {
    if (r.kind !== 'VolumeResize') continue;
    const m = volumeResizeManifest(r, ctx.settings.defaultNamespace);
    for (const p of validateResize(m.request, ctx.facts).problems) found.push(toFinding(ctx, m, p));
  }
  return found;
}

/** A VolumeResize rule: its declaration, reporting the findings of its id. */
export function volumeResizeRule(id: VolumeResizeRuleId, defaultSeverity: Rule['defaultSeverity'], title: string, description: string): Rule {
  return {
    id,
    defaultSeverity,
    title,
    description,
    reads: 'facts',
    kinds: volumeResizeKinds,
    run: (ctx) => (ctx.resources.some((r) => r.kind === 'VolumeResize') ? allFindings(ctx).filter((f) => f.rule === id) : []),
  };
}

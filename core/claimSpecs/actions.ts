/**
 * The claim actions at a range of a file (the editor's code actions; not tied to a diagnostic): Fill from
 * StorageProfile, Expand VolumeClaimTemplates into PVCs (in the file, or into a new one), the DataVolumeTemplate ⇄
 * VolumeClaimTemplate conversions, and Show CDI render.
 */
import type { Facts } from '../facts.js';
import type { Resource } from '../resources.js';
import type { Range, Settings, TextEdit } from '../types.js';
import { convertTemplate } from '../volumeClaimTemplates/convert.js';
import { expandVolumeClaimTemplates } from '../volumeClaimTemplates/expand.js';
import { fillClaim } from './fill.js';
import { claimsIn, type ClaimIn } from './places.js';
import { readClaim } from './read.js';
import { rangeOf } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';

export interface ClaimAction {
  title: string;
  /** LSP code action kinds: a rewrite of the claim, or a refactor that adds objects. */
  kind: 'refactor.rewrite' | 'refactor.extract';
  /** Edits to the file the action was asked for. */
  edits: TextEdit[];
  /** A file to create beside it (relative name) with this text. */
  newFile?: { name: string; text: string };
  /** A client command instead of edits (the render preview). */
  command?: 'showCdiRender';
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The range a claim's action is offered on: its template item (or the PVC's spec). */
function claimRange(c: ClaimIn): Range | undefined {
  const d = c.resource.doc;
  const item = c.index === undefined ? c.specPath : c.specPath.slice(0, c.specPath.lastIndexOf(c.index) + 1);
  const hit = walk(d, item);
  return hit ? rangeOf(d, hit.node) : undefined;
}

/** Actions at `range` of `file`. Never throws on odd YAML: actions that cannot be computed are left out. */
export function claimActionsAt(resources: Resource[], range: Range, facts: Facts, settings: Settings): ClaimAction[] {
  const out: ClaimAction[] = [];
  let anyClaim = false;
  for (const r of resources) {
    if (!overlaps(r.doc.range, range)) continue;
    for (const c of claimsIn(r)) {
      const at = claimRange(c);
      if (!at || !overlaps(at, range)) continue;
      anyClaim = true;
      const fill = fillClaim(readClaim(c, settings.defaultNamespace), facts, settings);
      if (fill) out.push({ title: `Fill from StorageProfile (${c.describe}): ${fill.fields.map((f) => f.replace(/ \(.*$/, '')).join(', ')}`, kind: 'refactor.rewrite', edits: fill.edits });
      const conversion = convertTemplate(c, facts, settings);
      if (conversion?.ok) out.push({ title: conversion.title, kind: 'refactor.rewrite', edits: conversion.edits });
    }
    if (r.kind === 'VirtualMachine' && walk(r.doc, [...r.base, 'spec', 'volumeClaimTemplates'])) {
      const x = expandVolumeClaimTemplates(r, facts, settings);
      if (x.ok) {
        const pvcs = x.pvcs.map((p) => `${p.yaml}---\n`).join('');
        const at = { range: { start: x.insertAt, end: x.insertAt }, newText: pvcs };
        out.push({ title: `Expand VolumeClaimTemplates into PVCs (${x.pvcs.map((p) => p.name).join(', ')}) in this file`, kind: 'refactor.extract', edits: [at, ...x.vmEdits] });
        const name = `${x.vm}-pvcs.yaml`;
        out.push({ title: `Expand VolumeClaimTemplates into PVCs in a new file ${name}`, kind: 'refactor.extract', edits: x.vmEdits, newFile: { name, text: x.pvcs.map((p) => p.yaml).join('---\n') } });
      }
    }
  }
  if (anyClaim) out.push({ title: 'Show CDI render (written vs rendered, every claim of the file)', kind: 'refactor.rewrite', edits: [], command: 'showCdiRender' });
  return out;
}

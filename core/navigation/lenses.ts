/**
 * Code lenses: above a VolumeSnapshot, its restoreSize and what restores it ("restoreSize 20Gi · restored by 3
 * PVCs"); above a claim CDI renders (a PVC labelled for CDI's webhook, a DataVolume's `spec.storage`), the bytes
 * CDI will ask for ("CDI renders 22,229,812 bytes").
 */
import { renderPvc, type RenderResult } from '../cdi/render.js';
import { claimsOf } from '../claims.js';
import { dataVolumeSizing, dataVolumesOf } from '../dataVolumes.js';
import type { Facts } from '../facts.js';
import { factFromView, LABEL, yamlView } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Resource } from '../resources.js';
import { canonicalRestoreSize } from '../rules/restoreCommon.js';
import type { Position, Range, Settings } from '../types.js';
import { locate, type YamlDoc, type YamlPath } from '../yaml/documents.js';
import type { NavigationIndex, ObjectKey } from './index.js';

export interface LensInfo {
  /** The line the lens stands above (its start). */
  range: Range;
  title: string;
  /** Set when clicking should list references: where to ask for them. */
  references?: Position;
}

function objectStart(d: YamlDoc, path: YamlPath): Range {
  const at = path.length === 0 ? (locate(d, ['apiVersion']) ?? locate(d, ['kind'])) : locate(d, path);
  const start = at ? (at.keyRange ?? at.range).start : d.range.start;
  return { start, end: start };
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** "3 PVCs", "1 PVC and 2 DataVolumes": the distinct objects that restore a snapshot, by kind. */
function restorers(index: NavigationIndex, key: ObjectKey): { count: number; text: string } {
  const seen = new Map<string, Set<string>>();
  for (const ref of index.references(key)) {
    if (ref.role !== 'restores') continue;
    const label = ref.from.kind === 'PersistentVolumeClaim' ? 'PVC' : ref.from.kind === 'StatefulSet' ? 'StatefulSet' : ref.from.kind;
    let names = seen.get(label);
    if (!names) seen.set(label, (names = new Set()));
    names.add(`${ref.from.namespace ?? ''}/${ref.from.name}\0${'file' in ref.place ? ref.place.file : 'cluster'}`);
  }
  const parts = [...seen].map(([label, names]) => plural(names.size, label));
  const count = [...seen.values()].reduce((n, s) => n + s.size, 0);
  return { count, text: parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` };
}

function rendered(render: RenderResult): string | undefined {
  if (render.renderedBytes === undefined || render.renderedBytes === 0n) return undefined;
  const why = render.inflated ? `overhead ${render.overhead}${render.minimumApplied ? ', minimumSupportedPvcSize' : ''}` : render.minimumApplied ? 'minimumSupportedPvcSize' : (render.sizeNote ?? 'as requested');
  return `CDI renders ${groupDigits(render.renderedBytes)} bytes (${why}; ${render.cdi.describe})`;
}

/** The lenses of one file's recognised objects. */
export function codeLenses(resources: readonly Resource[], index: NavigationIndex, facts: Facts, settings: Settings): LensInfo[] {
  const out: LensInfo[] = [];
  // Each document with its own objects: the claim readers look at one document's objects.
  const docs = new Map<YamlDoc, Resource[]>();
  for (const r of resources) {
    const mine = docs.get(r.doc);
    if (mine) mine.push(r);
    else docs.set(r.doc, [r]);
    if (r.kind !== 'VolumeSnapshot') continue;
    const { key, defs } = index.objectOf(r);
    const snap = factFromView('VolumeSnapshot', yamlView(r.doc, r.base), { source: { kind: 'workspace', file: r.file }, defaultNamespace: settings.defaultNamespace });
    if (!key || !snap) continue;
    const size = snap.restoreSizeBytes === undefined ? 'no restoreSize yet' : `restoreSize ${canonicalRestoreSize(snap.restoreSizeText, snap.restoreSizeBytes)}`;
    const by = restorers(index, key);
    const where = defs[0] && 'file' in defs[0].place ? defs[0].place.selection.start : undefined;
    out.push({
      range: objectStart(r.doc, r.base),
      title: `${size} · ${by.count === 0 ? 'not restored by anything here' : `restored by ${by.text}`}`,
      ...(by.count > 0 && where ? { references: where } : {}),
    });
  }
  for (const [d, mine] of docs) {
    for (const c of claimsOf(d, mine)) {
      if (c.spec.labels[LABEL.applyStorageProfile] !== 'true') continue;
      const title = rendered(renderPvc({ ...c.spec, namespace: c.namespace ?? settings.defaultNamespace }, facts, settings));
      if (title) out.push({ range: objectStart(d, c.objectPath), title });
    }
    for (const dv of dataVolumesOf(d, mine)) {
      if (dv.field !== 'storage' || !dv.request) continue;
      const sizing = dataVolumeSizing({ dv, namespace: dv.namespace ?? settings.defaultNamespace }, facts, settings);
      const title = sizing.render && rendered(sizing.render);
      if (title) out.push({ range: objectStart(d, dv.objectPath), title });
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

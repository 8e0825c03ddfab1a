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

/** What CDI does with a claim's size, in a few words: the bytes it renders, or why it leaves the size alone. */
function rendered(render: RenderResult): string {
  if (render.denials.length > 0) return `CDI would refuse this claim: ${render.denials[0]}`;
  if (render.refusals.length > 0) return `The API server would refuse this claim: ${render.refusals[0]}`;
  if (render.renderedBytes === undefined || render.renderedBytes === 0n) return `CDI leaves the size alone (${render.sizeNote ?? 'nothing to render'}; ${render.cdi.describe})`;
  const why = render.inflated ? `overhead ${render.overhead}${render.minimumApplied ? ', minimumSupportedPvcSize' : ''}` : render.minimumApplied ? 'minimumSupportedPvcSize' : (render.sizeNote ?? 'as requested');
  return `CDI renders ${groupDigits(render.renderedBytes)} bytes (${why}; ${render.cdi.describe})`;
}

/** Which lens: above a VolumeSnapshot, a claim CDI's webhook renders, or a DataVolume's `spec.storage`, in document `doc`. */
export type LensTarget = { kind: 'snapshot' | 'claim' | 'dataVolume'; doc: number; path: (string | number)[] };

/** A lens before its title: where it stands and what it is about. Cheap: a client resolves only those in view. */
export interface PendingLens {
  range: Range;
  target: LensTarget;
}

const grouped = new WeakMap<readonly Resource[], Map<YamlDoc, Resource[]>>();

/** Each document with its own objects, once per resources array (the same array while the file is unchanged). */
function byDocument(resources: readonly Resource[]): Map<YamlDoc, Resource[]> {
  let docs = grouped.get(resources);
  if (docs) return docs;
  docs = new Map();
  for (const r of resources) {
    const mine = docs.get(r.doc);
    if (mine) mine.push(r);
    else docs.set(r.doc, [r]);
  }
  grouped.set(resources, docs);
  return docs;
}

const indexed = new WeakMap<readonly Resource[], Map<number, { doc: YamlDoc; mine: Resource[] }>>();

/** The document of index `n` and its objects. */
function documentAt(resources: readonly Resource[], n: number): { doc: YamlDoc; mine: Resource[] } | undefined {
  let m = indexed.get(resources);
  if (!m) {
    m = new Map([...byDocument(resources)].map(([doc, mine]) => [doc.index, { doc, mine }]));
    indexed.set(resources, m);
  }
  return m.get(n);
}

/** The lenses of one file's recognised objects, without their titles. */
export function lensTargets(resources: readonly Resource[]): PendingLens[] {
  const out: PendingLens[] = [];
  for (const [d, mine] of byDocument(resources)) {
    const doc = d.index;
    for (const r of mine) if (r.kind === 'VolumeSnapshot') out.push({ range: objectStart(d, r.base), target: { kind: 'snapshot', doc, path: [...r.base] } });
    for (const c of claimsOf(d, mine)) {
      if (c.spec.labels[LABEL.applyStorageProfile] === 'true') out.push({ range: objectStart(d, c.objectPath), target: { kind: 'claim', doc, path: [...c.objectPath] } });
    }
    for (const dv of dataVolumesOf(d, mine)) {
      if (dv.field === 'storage' && dv.request) out.push({ range: objectStart(d, dv.objectPath), target: { kind: 'dataVolume', doc, path: [...dv.objectPath] } });
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

const samePath = (a: readonly (string | number)[], b: readonly (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A lens's title (and where to ask for references, when clicking should list them); undefined when its object is gone. */
export function resolveLens(
  target: LensTarget,
  resources: readonly Resource[],
  index: NavigationIndex,
  facts: Facts,
  settings: Settings,
): { title: string; references?: Position } | undefined {
  const at = documentAt(resources, target.doc);
  if (!at) return undefined;
  const { doc: d, mine } = at;
  if (target.kind === 'snapshot') {
    const r = mine.find((x) => x.kind === 'VolumeSnapshot' && samePath(x.base, target.path));
    if (!r) return undefined;
    const { key, defs } = index.objectOf(r);
    const snap = factFromView('VolumeSnapshot', yamlView(r.doc, r.base), { source: { kind: 'workspace', file: r.file }, defaultNamespace: settings.defaultNamespace });
    if (!key || !snap) return undefined;
    const size = snap.restoreSizeBytes === undefined ? 'no restoreSize yet' : `restoreSize ${canonicalRestoreSize(snap.restoreSizeText, snap.restoreSizeBytes)}`;
    const by = restorers(index, key);
    const where = defs[0] && 'file' in defs[0].place ? defs[0].place.selection.start : undefined;
    return { title: `${size} · ${by.count === 0 ? 'not restored by anything here' : `restored by ${by.text}`}`, ...(by.count > 0 && where ? { references: where } : {}) };
  }
  if (target.kind === 'claim') {
    const c = claimsOf(d, mine).find((x) => samePath(x.objectPath, target.path));
    return c && { title: rendered(renderPvc({ ...c.spec, namespace: c.namespace ?? settings.defaultNamespace }, facts, settings)) };
  }
  const dv = dataVolumesOf(d, mine).find((x) => samePath(x.objectPath, target.path));
  const render = dv && dataVolumeSizing({ dv, namespace: dv.namespace ?? settings.defaultNamespace }, facts, settings).render;
  return render && { title: rendered(render) };
}

/** The lenses of one file's recognised objects, resolved (what a client without resolve support gets, and the tests). */
export function codeLenses(resources: readonly Resource[], index: NavigationIndex, facts: Facts, settings: Settings): LensInfo[] {
  return lensTargets(resources).flatMap((p) => {
    const resolved = resolveLens(p.target, resources, index, facts, settings);
    return resolved ? [{ range: p.range, ...resolved }] : [];
  });
}

/**
 * DataVolumeTemplate ⇄ VolumeClaimTemplate, in a VirtualMachine. A DataVolume's `source` maps onto CDI's volume
 * populators (cdi-populators.md): http/registry/s3/gcs/imageio/vddk → a VolumeImportSource, upload → a
 * VolumeUploadSource, pvc/snapshot → a VolumeCloneSource (same namespace: cross-namespace populator sources are
 * not supported yet), blank → no source. The other way, the populator source named by `dataSourceRef` must be
 * known (in the workspace or the cluster) to be turned back into a `source`. `sourceRef` (a DataSource) has no
 * populator equivalent and is explained, not converted. The VM's volumes follow (`dataVolume.name` ⇄
 * `persistentVolumeClaim.claimName`).
 */
import { isNode, stringify } from 'yaml';
import type { ClaimIn } from '../claimSpecs/places.js';
import type { Facts } from '../facts.js';
import type { Settings, TextEdit } from '../types.js';
import type { YamlDoc, YamlPath } from '../yaml/documents.js';
import { scalarString, sequenceNodes } from '../yaml/documents.js';
import { insertEntriesEdit, removeMapEntryEdit, removeSeqItemEdit, appendSeqItemEdit } from '../yaml/edits.js';
import { walk } from '../yaml/navigate.js';

export type Conversion = { ok: true; title: string; edits: TextEdit[] } | { ok: false; message: string };

const cdiGroup = 'cdi.kubevirt.io';
const importTypes = ['http', 's3', 'registry', 'gcs', 'imageio', 'vddk'] as const;

function json(d: YamlDoc, path: YamlPath): unknown {
  return walk(d, path)?.node.toJSON();
}

/** The item at `path` as YAML lines of a block sequence item (`- key: …`). */
function itemLines(value: unknown): string[] {
  return stringify([value], { lineWidth: 0 }).replace(/\n$/, '').split('\n');
}

/** Volumes of the VM naming `name` through `from` (`dataVolume`/`persistentVolumeClaim`), renamed to `to`. */
function volumeEdits(d: YamlDoc, base: YamlPath, name: string, from: 'dataVolume' | 'persistentVolumeClaim'): TextEdit[] {
  const edits: TextEdit[] = [];
  const volumes = [...base, 'spec', 'template', 'spec', 'volumes'];
  const [fromKey, toField, toKey] = from === 'dataVolume' ? ['name', 'persistentVolumeClaim', 'claimName'] : ['claimName', 'dataVolume', 'name'];
  sequenceNodes(d, volumes).forEach((_, i) => {
    const field = walk(d, [...volumes, i, from]);
    const inner = walk(d, [...volumes, i, from, fromKey]);
    if (!field?.pair || !inner?.pair || scalarString(d, [...volumes, i, from, fromKey]) !== name) return;
    for (const [key, text] of [
      [field.pair.key, toField],
      [inner.pair.key, toKey],
    ] as const) {
      if (isNode(key) && key.range) edits.push({ range: d.toRange(key.range[0], key.range[1]), newText: text });
    }
  });
  return edits;
}

const unwritable = 'the VM is written in a way this tool does not rewrite (flow style, an alias or a merge key)';

/**
 * The edits that move template `item` (its list left out when it was the only one) to the end of the VM's list
 * `to` (`spec.<to>` created when absent), rewritten as `value`; undefined where the YAML cannot be edited in place.
 */
function move(d: YamlDoc, base: YamlPath, item: YamlPath, to: 'volumeClaimTemplates' | 'dataVolumeTemplates', value: unknown): TextEdit[] | undefined {
  const lines = itemLines(value);
  const add = walk(d, [...base, 'spec', to]) ? appendSeqItemEdit(d, [...base, 'spec', to], lines) : insertEntriesEdit(d, [...base, 'spec'], [`${to}:`, ...lines]);
  const list = item.slice(0, -1);
  const remove = sequenceNodes(d, list).length === 1 ? removeMapEntryEdit(d, list) : removeSeqItemEdit(d, item);
  return add && remove ? [remove, add] : undefined;
}

/** After the VM's document: a new document. */
function appendDocument(d: YamlDoc, object: unknown): TextEdit {
  const end = d.range.end;
  const at = { line: end.line + 1, character: 0 };
  return { range: { start: at, end: at }, newText: `---\n${stringify(object, { lineWidth: 0 })}` };
}

function toTemplate(c: ClaimIn): Conversion {
  const r = c.resource;
  const d = r.doc;
  const item = c.specPath.slice(0, -2); // ['spec', 'dataVolumeTemplates', i]
  const name = c.name;
  if (name === undefined) return { ok: false, message: 'the dataVolumeTemplate has no metadata.name' };
  const dvSpec = [...item, 'spec'];
  if (walk(d, [...dvSpec, 'sourceRef'])) {
    return { ok: false, message: `dataVolumeTemplate ${name} uses sourceRef (a DataSource): a PVC cannot name one. Point a VolumeCloneSource at the DataSource's PVC or VolumeSnapshot instead.` };
  }
  const spec = (json(d, c.specPath) ?? {}) as Record<string, unknown>;
  const source = (json(d, [...dvSpec, 'source']) ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const contentType = scalarString(d, [...dvSpec, 'contentType']);
  const preallocation = json(d, [...dvSpec, 'preallocation']);
  const namespace = r.namespace;
  const meta = (n: string) => ({ name: n, ...(namespace === undefined ? {} : { namespace }) });
  const extras = { ...(contentType === undefined ? {} : { contentType }), ...(preallocation === undefined ? {} : { preallocation }) };
  let populator: Record<string, unknown> | undefined;
  // The source's one key names its type (own keys only: a YAML key `constructor` is just a key).
  const entries = new Map(Object.entries(source));
  const type = [...entries.keys()][0];
  if (type !== undefined && (importTypes as readonly string[]).includes(type)) {
    populator = { apiVersion: `${cdiGroup}/v1beta1`, kind: 'VolumeImportSource', metadata: meta(`${name}-import`), spec: { source: { [type]: entries.get(type) }, ...extras } };
  } else if (type === 'upload') {
    populator = { apiVersion: `${cdiGroup}/v1beta1`, kind: 'VolumeUploadSource', metadata: meta(`${name}-upload`), spec: extras };
  } else if (type === 'pvc' || type === 'snapshot') {
    const src = entries.get(type) ?? {};
    if (typeof src['namespace'] === 'string' && src['namespace'] !== (namespace ?? src['namespace'])) {
      return { ok: false, message: `dataVolumeTemplate ${name} clones from namespace ${String(src['namespace'])}: CDI's clone populator needs the source in the PVC's namespace (cross-namespace sources are not supported yet)` };
    }
    const ref = type === 'pvc' ? { kind: 'PersistentVolumeClaim', name: src['name'] } : { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: src['name'] };
    populator = { apiVersion: `${cdiGroup}/v1beta1`, kind: 'VolumeCloneSource', metadata: meta(`${name}-clone`), spec: { source: ref, ...(preallocation === undefined ? {} : { preallocation }) } };
  } else if (type !== undefined && type !== 'blank') {
    return { ok: false, message: `dataVolumeTemplate ${name}: source ${type} has no CDI populator` };
  }
  const claim: Record<string, unknown> = { ...spec };
  if (populator) claim['dataSourceRef'] = { apiGroup: cdiGroup, kind: populator['kind'], name: (populator['metadata'] as { name: string }).name };
  const moved = move(d, r.base, item, 'volumeClaimTemplates', { metadata: json(d, [...item, 'metadata']), spec: claim });
  if (!moved) return { ok: false, message: unwritable };
  const edits = [...moved, ...volumeEdits(d, r.base, name, 'dataVolume')];
  if (populator) edits.push(appendDocument(d, populator));
  return { ok: true, title: `Convert dataVolumeTemplate ${name} to a volumeClaimTemplate${populator ? ` (with ${populator['kind']} ${name}-…)` : ''}`, edits };
}

function toDataVolumeTemplate(c: ClaimIn, facts: Facts, settings: Settings): Conversion {
  const r = c.resource;
  const d = r.doc;
  const item = c.specPath.slice(0, -1); // ['spec', 'volumeClaimTemplates', i]
  const name = c.name;
  if (name === undefined) return { ok: false, message: 'the volumeClaimTemplate has no metadata.name' };
  const spec = { ...((json(d, c.specPath) ?? {}) as Record<string, unknown>) };
  const ref = spec['dataSourceRef'] as { apiGroup?: string; kind?: string; name?: string; namespace?: string } | undefined;
  delete spec['dataSourceRef'];
  const ns = ref?.namespace ?? r.namespace ?? settings.defaultNamespace;
  let source: Record<string, unknown> = { blank: {} };
  if (ref?.kind === 'VolumeSnapshot') source = { snapshot: { name: ref.name } };
  else if (ref?.kind === 'PersistentVolumeClaim') source = { pvc: { name: ref.name } };
  else if (ref?.kind === 'VolumeUploadSource') source = { upload: {} };
  else if (ref?.kind === 'VolumeCloneSource') {
    const vcs = ref.name === undefined ? undefined : facts.claimObject?.('VolumeCloneSource', ns, ref.name);
    if (!vcs?.populatorSource?.name) return { ok: false, message: `VolumeCloneSource ${ns}/${ref.name ?? ''} is not known: its source is needed for the DataVolume's source` };
    source = vcs.populatorSource.kind === 'VolumeSnapshot' ? { snapshot: { name: vcs.populatorSource.name } } : { pvc: { name: vcs.populatorSource.name } };
  } else if (ref?.kind === 'VolumeImportSource') {
    const vis = ref.name === undefined ? undefined : facts.claimObject?.('VolumeImportSource', ns, ref.name);
    if (!vis?.populatorSource?.url) return { ok: false, message: `VolumeImportSource ${ns}/${ref.name ?? ''} is not known (or has no URL): its source is needed for the DataVolume's source` };
    source = { http: { url: vis.populatorSource.url } };
  } else if (ref !== undefined) return { ok: false, message: `dataSourceRef kind ${ref.kind ?? '(none)'} has no DataVolume source` };
  const moved = move(d, r.base, item, 'dataVolumeTemplates', { metadata: json(d, [...item, 'metadata']), spec: { storage: spec, source } });
  if (!moved) return { ok: false, message: unwritable };
  const kept = ref?.kind === 'VolumeImportSource' ? ' (only the VolumeImportSource URL carries over: check its other fields)' : '';
  return { ok: true, title: `Convert volumeClaimTemplate ${name} to a dataVolumeTemplate${kept}`, edits: [...moved, ...volumeEdits(d, r.base, name, 'persistentVolumeClaim')] };
}

/** The conversion of a VM's template, either way; undefined for claims that are neither. */
export function convertTemplate(c: ClaimIn, facts: Facts, settings: Settings): Conversion | undefined {
  if (c.resource.kind !== 'VirtualMachine') return undefined;
  if (c.place.flavour === 'template') return toDataVolumeTemplate(c, facts, settings);
  if (c.place.flavour === 'dv-storage' || c.place.flavour === 'dv-pvc') return toTemplate(c);
  return undefined;
}

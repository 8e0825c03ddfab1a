/**
 * DataVolume specs in the analysed files (a DataVolume, each of a VirtualMachine's `dataVolumeTemplates`) and,
 * for those that restore a VolumeSnapshot (`spec.source.snapshot`, or `spec.sourceRef` to a DataSource whose
 * source is a snapshot), what CDI's snapshot clone does with the size. Extracted once per parsed Document.
 *
 * Mirrors CDI c07cdb6 (v1.66): SnapshotCloneReconciler.validateSnapshotClone (the effective request, after the
 * StorageProfile minimum, must not be below restoreSize: else CloneValidationFailed), detectCloneSize (no size:
 * restoreSize), and the populator's snapshot clone (clone/snap-clone.go: the volume is restored at restoreSize,
 * then expanded to the target's request; cc.ValidateSnapshotCloneSize falls back to a host-assisted copy when a
 * larger target's StorageClass does not allow expansion). The target's request is the DV controller's render of
 * `spec.storage` (pvcFromStorage: the filesystem overhead is added, clones included) or `spec.pvc` verbatim.
 */
import type { Document, Node } from 'yaml';
import { renderDataVolumeStorage, type PvcSpecInput, type RenderResult } from './cdi/render.js';
import { effectiveVolumeSize } from './cdi/size.js';
import type { DataSourceFact, Facts, SnapshotFact } from './facts.js';
import { kinds } from './kinds/index.js';
import { parseQuantity, type Quantity } from './quantity.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Settings } from './types.js';
import type { YamlDoc, YamlPath } from './yaml/documents.js';
import { scalarString, sequenceNodes, stringList, stringMap } from './yaml/documents.js';
import { walk } from './yaml/navigate.js';

/** A DataVolume spec in a document. */
export interface DataVolumeClaim {
  /** The DataVolume-like object (holding metadata and spec). */
  objectPath: YamlPath;
  /** "DataVolume fedora-root" or "VirtualMachine win11, dataVolumeTemplate root". */
  describe: string;
  /** `metadata.namespace` of the resource as written (a template's is its VM's). */
  namespace?: string;
  /** Which PVC-like spec it has: `spec.storage` (rendered by CDI) or `spec.pvc` (copied verbatim). */
  field?: 'storage' | 'pvc';
  /** The request of that spec, when a valid quantity. */
  request?: { text: string; quantity: Quantity; node: Node; path: YamlPath };
  /** That spec as CDI's render model reads it, with the DataVolume's labels and annotations. */
  spec: PvcSpecInput;
  contentType?: string;
  /** What it clones from. */
  source?: { via: 'source.snapshot' | 'source.pvc' | 'sourceRef'; name: string; namespace?: string; nameNode: Node };
}

const cache = new WeakMap<Document.Parsed, DataVolumeClaim[]>();

/** Forgets a document's DataVolume claims (a one-shot Workspace done with it: core/forget.ts says why). */
export function forgetDataVolumeClaims(doc: Document.Parsed): void {
  cache.delete(doc);
}

function claimAt(d: YamlDoc, objectPath: YamlPath, describe: string, namespace: string | undefined): DataVolumeClaim {
  const p = (...rest: (string | number)[]) => [...objectPath, ...rest];
  const field = walk(d, p('spec', 'storage')) ? 'storage' : walk(d, p('spec', 'pvc')) ? 'pvc' : undefined;
  const specPath = field ? p('spec', field) : p('spec', 'storage');
  const s = (...rest: string[]) => [...specPath, ...rest];
  const spec: PvcSpecInput = {
    namespace: '',
    labels: stringMap(d, p('metadata', 'labels')),
    annotations: stringMap(d, p('metadata', 'annotations')),
    storageClassName: scalarString(d, s('storageClassName')),
    accessModes: stringList(d, s('accessModes')),
    volumeMode: scalarString(d, s('volumeMode')),
  };
  const claim: DataVolumeClaim = { objectPath, describe, spec, ...(namespace === undefined ? {} : { namespace }), ...(field ? { field } : {}) };
  const requestPath = s('resources', 'requests', 'storage');
  const text = scalarString(d, requestPath);
  const q = text === undefined ? undefined : parseQuantity(text);
  const node = walk(d, requestPath)?.node;
  if (q?.ok && node && text !== undefined) {
    claim.request = { text, quantity: q.quantity, node, path: requestPath };
    spec.requestBytes = q.quantity.bytes;
  }
  const contentType = scalarString(d, p('spec', 'contentType'));
  if (contentType !== undefined) claim.contentType = contentType;
  for (const [via, path] of [['source.snapshot', ['source', 'snapshot']], ['source.pvc', ['source', 'pvc']], ['sourceRef', ['sourceRef']]] as const) {
    const name = scalarString(d, p('spec', ...path, 'name'));
    const nameNode = walk(d, p('spec', ...path, 'name'))?.node;
    if (via === 'sourceRef' && (scalarString(d, p('spec', 'sourceRef', 'kind')) ?? 'DataSource') !== 'DataSource') continue;
    if (!name || !nameNode) continue;
    const ns = scalarString(d, p('spec', ...path, 'namespace'));
    claim.source = { via, name, nameNode, ...(ns ? { namespace: ns } : {}) };
    break;
  }
  return claim;
}

/** The DataVolume specs of one document (its resources given), extracted once per parsed Document. */
export function dataVolumesOf(d: YamlDoc, resources: readonly Resource[]): DataVolumeClaim[] {
  if (!d.doc) return [];
  let out = cache.get(d.doc);
  if (out) return out;
  out = [];
  for (const r of resources) {
    if (r.doc !== d) continue;
    if (r.kind === 'DataVolume') out.push(claimAt(d, r.base, `DataVolume ${r.name ?? '(unnamed)'}`, r.namespace));
    if (r.kind !== 'VirtualMachine') continue;
    sequenceNodes(d, at(r, 'spec', 'dataVolumeTemplates')).forEach((_, i) => {
      const objectPath = at(r, 'spec', 'dataVolumeTemplates', i);
      const name = scalarString(d, [...objectPath, 'metadata', 'name']) ?? `#${i}`;
      out!.push(claimAt(d, objectPath, `VirtualMachine ${r.name ?? '(unnamed)'}, dataVolumeTemplate ${name}`, r.namespace));
    });
  }
  cache.set(d.doc, out);
  return out;
}

/** A DataVolume spec that restores a VolumeSnapshot, with the snapshot (and DataSource) looked up. */
export interface DataVolumeRestore {
  doc: YamlDoc;
  dv: DataVolumeClaim & { source: NonNullable<DataVolumeClaim['source']> };
  /** The DataVolume's namespace (the default applied). */
  namespace: string;
  snapshotNamespace: string;
  snapshotName: string;
  snapshot?: SnapshotFact;
  /** The DataSource a `sourceRef` resolved through. */
  dataSource?: DataSourceFact;
}

/**
 * The restore of a DataVolume spec: `source.snapshot` directly, or `sourceRef` through a DataSource in the facts
 * whose source is a snapshot. Undefined for other sources (a PVC clone, an import) and unresolved DataSources.
 */
export function dataVolumeRestoreOf(doc: YamlDoc, dv: DataVolumeClaim, facts: Facts, defaultNamespace: string): DataVolumeRestore | undefined {
  const source = dv.source;
  if (!source || source.via === 'source.pvc') return undefined;
  const namespace = dv.namespace ?? defaultNamespace;
  const claim = { ...dv, source };
  if (source.via === 'source.snapshot') {
    const snapshotNamespace = source.namespace ?? namespace;
    return { doc, dv: claim, namespace, snapshotNamespace, snapshotName: source.name, snapshot: facts.volumeSnapshot(snapshotNamespace, source.name) };
  }
  const dataSource = facts.dataSource?.(source.namespace ?? namespace, source.name);
  const snap = dataSource?.snapshot;
  if (!dataSource || !snap) return undefined;
  return { doc, dv: claim, namespace, snapshotNamespace: snap.namespace, snapshotName: snap.name, snapshot: facts.volumeSnapshot(snap.namespace, snap.name), dataSource };
}

/** The spec for CDI's render model, the namespace filled in. */
export function dataVolumeRenderInput(r: { dv: DataVolumeClaim; namespace: string }): PvcSpecInput {
  return { ...r.dv.spec, namespace: r.namespace };
}

/** What CDI makes of a DataVolume spec's size: `spec.storage` rendered by the DV controller, `spec.pvc` as written. */
export interface DataVolumeSizing {
  /** The request CDI's clone validation compares with restoreSize (after the StorageProfile minimum, for `storage`, from CDI v1.64.0). */
  validatedBytes?: bigint;
  /** The target PVC's request (the DV controller's render of `spec.storage`, or `spec.pvc`'s as written). */
  targetBytes?: bigint;
  /** The class the target PVC gets (rendered for `storage`). */
  storageClassName?: string;
  render?: RenderResult;
}

export function dataVolumeSizing(r: { dv: DataVolumeClaim; namespace: string }, facts: Facts, settings: Settings): DataVolumeSizing {
  const requested = r.dv.request?.quantity.bytes;
  if (r.dv.field === 'pvc') {
    const cls = r.dv.spec.storageClassName;
    return { ...(requested === undefined ? {} : { validatedBytes: requested, targetBytes: requested }), ...(cls ? { storageClassName: cls } : {}) };
  }
  // A clone's target PVC names a VolumeCloneSource (CDI's populator): when the webhook renders it (label), the size is kept.
  const clone = r.dv.source !== undefined;
  const input: PvcSpecInput = clone
    ? { ...dataVolumeRenderInput(r), dataSourceRef: { apiGroup: kinds.VolumeCloneSource.group, kind: 'VolumeCloneSource', name: 'clone' } }
    : dataVolumeRenderInput(r);
  const render = renderDataVolumeStorage(input, facts, settings, { cloneSource: clone, ...(r.dv.contentType ? { contentType: r.dv.contentType } : {}) });
  const cls = render.storageClassName;
  // GetEffectiveStorageResources (validateSnapshotClone, snapshot-clone-controller.go@v1.64.0, #3852); older tags compare the request as written.
  const minimum = cls === undefined || !render.cdi.behaviour.cloneValidationAppliesMinimum ? undefined : facts.storageProfile(cls)?.minimumSupportedPvcSizeBytes;
  return {
    render,
    ...(requested === undefined ? {} : { validatedBytes: effectiveVolumeSize(requested, minimum).bytes }),
    ...(render.renderedBytes === undefined || render.renderedBytes === 0n ? {} : { targetBytes: render.renderedBytes }),
    ...(cls === undefined ? {} : { storageClassName: cls }),
  };
}

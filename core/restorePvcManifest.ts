/**
 * Restore PVCs of live VolumeSnapshots: the manifest of a new PVC restoring a snapshot (the explorer's "New
 * restore PVC from this snapshot"), and whether a PVC that already restores one is at risk. Pure: objects are
 * parsed API JSON, everything else comes from `facts` and `settings`.
 */
import { Document } from 'yaml';
import { webhookSnapshotRef, type ObjectRef } from './admission.js';
import { renderPvc, type PvcSpecInput } from './cdi/render.js';
import type { Facts, SnapshotFact } from './facts.js';
import { kinds } from './kinds/index.js';
import { putOwn } from './own.js';
import { groupDigits, parseQuantity } from './quantity.js';
import { canonicalRestoreSize, sized, strictness } from './rules/restoreCommon.js';
import type { Settings, Severity } from './types.js';

/** The longest object name Kubernetes accepts (a DNS-1123 subdomain). */
const maxNameLength = 253;

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v) ?? {})) if (typeof x === 'string') putOwn(out, k, x);
  return out;
}

function ref(v: unknown): PvcSpecInput['dataSourceRef'] {
  const o = obj(v);
  if (!o) return undefined;
  return { apiGroup: text(o.apiGroup), kind: text(o.kind), name: text(o.name), namespace: text(o.namespace) };
}

/** A PersistentVolumeClaim as the API serves it → the spec CDI's render model reads. Never throws. */
export function pvcSpecFromObject(o: unknown): PvcSpecInput {
  const metadata = obj(obj(o)?.metadata);
  const spec = obj(obj(o)?.spec);
  const request = text(obj(obj(spec?.resources)?.requests)?.storage);
  const parsed = request === undefined ? undefined : parseQuantity(request);
  const accessModes = Array.isArray(spec?.accessModes) ? spec.accessModes.filter((m): m is string => typeof m === 'string') : undefined;
  return {
    namespace: text(metadata?.namespace) ?? 'default',
    labels: stringMap(metadata?.labels),
    annotations: stringMap(metadata?.annotations),
    ...(typeof spec?.storageClassName === 'string' ? { storageClassName: spec.storageClassName } : {}),
    ...(accessModes ? { accessModes } : {}),
    ...(typeof spec?.volumeMode === 'string' ? { volumeMode: spec.volumeMode } : {}),
    ...(parsed?.ok ? { requestBytes: parsed.quantity.bytes } : {}),
    ...(spec?.dataSource === undefined ? {} : { dataSource: ref(spec.dataSource) }),
    ...(spec?.dataSourceRef === undefined ? {} : { dataSourceRef: ref(spec.dataSourceRef) }),
  };
}

/** What a new restore PVC copies from the PVC the snapshot was taken of, when that PVC is known. */
export interface SourcePvcSpec {
  name: string;
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
}

export type RestorePvcManifest =
  | { ok: true; manifest: Record<string, unknown>; yaml: string }
  | { ok: false; reason: string };

/** `<snapshot>-restore`, shortened to a valid object name. */
export function restorePvcName(snapshotName: string): string {
  const suffix = '-restore';
  return `${snapshotName.slice(0, maxNameLength - suffix.length).replace(/[.-]+$/, '')}${suffix}`;
}

/**
 * A PersistentVolumeClaim restoring `snapshot` in its namespace: `dataSource` and `dataSourceRef` both name the
 * VolumeSnapshot (as KubeVirt's restore controller writes them), the request is the canonical restoreSize (so
 * strict drivers accept it and CDI has nothing to inflate: no applyStorageProfile label), and the source PVC's
 * storage class, access modes and volume mode are copied when known. Refused while there is no restoreSize.
 */
export function restorePvcManifest(snapshot: SnapshotFact, source?: SourcePvcSpec, name = restorePvcName(snapshot.name)): RestorePvcManifest {
  const bytes = snapshot.restoreSizeBytes;
  const where = `VolumeSnapshot ${snapshot.namespace}/${snapshot.name}`;
  if (bytes === undefined) return { ok: false, reason: `${where} has no restoreSize yet: the size of a restore is not known until it is ready` };
  if (bytes <= 0n) return { ok: false, reason: `${where} reports restoreSize ${snapshot.restoreSizeText ?? '0'}: nothing to size a restore with` };
  const snapshotRef = { apiGroup: kinds.VolumeSnapshot.group, kind: 'VolumeSnapshot', name: snapshot.name };
  const accessModes = source?.accessModes?.length ? source.accessModes : ['ReadWriteOnce'];
  const spec: Record<string, unknown> = {
    ...(source?.storageClassName !== undefined ? { storageClassName: source.storageClassName } : {}),
    accessModes,
    ...(source?.volumeMode !== undefined ? { volumeMode: source.volumeMode } : {}),
    resources: { requests: { storage: canonicalRestoreSize(snapshot.restoreSizeText, bytes) } },
    dataSource: snapshotRef,
    dataSourceRef: { ...snapshotRef },
  };
  const manifest = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: snapshot.namespace }, spec };
  const doc = new Document(manifest);
  doc.commentBefore = [
    ` Restores ${where} (restoreSize ${groupDigits(bytes)} bytes).`,
    source
      ? ` Storage class, access modes and volume mode copied from the snapshot's source PVC ${snapshot.namespace}/${source.name}.`
      : snapshot.sourcePvcName
        ? ` The source PVC ${snapshot.namespace}/${snapshot.sourcePvcName} is not in the cluster: check the access modes, and set the storage class and volume mode to the snapshot's.`
        : ' The source PVC is unknown: check the access modes, and set the storage class and volume mode to the snapshot\'s.',
  ].join('\n');
  return { ok: true, manifest, yaml: doc.toString({ lineWidth: 0 }) };
}

/** Why a PVC restoring a VolumeSnapshot will not (or did not) get the size it asks for. */
export interface RestoreRisk {
  rule: 'restore-size-exceeded' | 'cdi-restore-inflation';
  severity: Severity;
  message: string;
  /** The size the provisioner is asked for: the request, or CDI's render of it. */
  bytes: bigint;
}

/** A PVC that restores a VolumeSnapshot, assessed against the snapshot's restoreSize. */
export interface RestorePvcAssessment {
  snapshot: ObjectRef;
  /** The snapshot, when the facts know it. */
  snapshotFact?: SnapshotFact;
  risk?: RestoreRisk;
}

/**
 * Whether a PVC (as stored, i.e. after admission) restoring a VolumeSnapshot is at risk, by the rules of
 * `restore-size-exceeded` (it asks for more than restoreSize) and `cdi-restore-inflation` (CDI's PVC webhook
 * renders this spec above restoreSize, so a PVC created from it again would be inflated). Undefined when the PVC
 * restores no VolumeSnapshot.
 */
export function assessRestorePvc(spec: PvcSpecInput, facts: Facts, settings: Settings): RestorePvcAssessment | undefined {
  const at = webhookSnapshotRef(spec);
  if (!at) return undefined;
  const snapshotFact = facts.volumeSnapshot(at.namespace, at.name);
  const restore = snapshotFact?.restoreSizeBytes;
  const assessment: RestorePvcAssessment = { snapshot: at, ...(snapshotFact ? { snapshotFact } : {}) };
  const requested = spec.requestBytes;
  if (!snapshotFact || restore === undefined || restore <= 0n || requested === undefined) return assessment;
  const restoreText = sized(canonicalRestoreSize(snapshotFact.restoreSizeText, restore), restore);
  const snap = `VolumeSnapshot ${at.namespace}/${at.name}'s restoreSize ${restoreText}`;
  const provisionerOf = (name: string | undefined): string | undefined => (name ? facts.storageClass(name)?.provisioner : undefined);
  if (requested > restore) {
    const { severity, why } = strictness(provisionerOf(spec.storageClassName), settings);
    return { ...assessment, risk: { rule: 'restore-size-exceeded', severity, bytes: requested, message: `asks for ${groupDigits(requested)} bytes, more than ${snap}; ${why}` } };
  }
  const render = renderPvc(spec, facts, settings);
  if (!render.webhookApplies || render.renderedBytes === undefined || render.renderedBytes <= restore) return assessment;
  const { severity, why } = strictness(provisionerOf(render.storageClassName), settings);
  const message =
    `CDI's PVC webhook renders this spec to ${groupDigits(render.renderedBytes)} bytes (overhead ${render.overhead ?? '?'} from ` +
    `${render.overheadSource ?? 'unknown'}; ${render.cdi.describe}), above ${snap}; ${why}`;
  return { ...assessment, risk: { rule: 'cdi-restore-inflation', severity, bytes: render.renderedBytes, message } };
}

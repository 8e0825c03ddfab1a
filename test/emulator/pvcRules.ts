// What kube-apiserver does to a PersistentVolumeClaim before any webhook sees it, and the one update rule the
// tools run into (facts §0.3). Mirrors k8s.io/kubernetes v1.34: SetDefaults_PersistentVolumeClaim(Spec)
// (pkg/apis/core/v1/defaults.go), the DefaultStorageClass admission plugin
// (plugin/pkg/admission/storage/storageclass/setdefault, with pkg/volume/util.GetDefaultClass) and the spec
// check of ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation) and the PersistentVolumeClaimResize
// plugin (plugin/pkg/admission/storage/persistentvolume/resize). Tests: test/cluster/serverBehaviour.test.ts, on
// the emulator and the real server alike.
import { parseQuantity } from '../../core/quantity.js';
import type { ObjectStore } from './store.js';
import { ApiError, invalid } from './errors.js';
import { isPlainObject } from './objectMeta.js';
import type { KObject } from './types.js';

const isPvc = (spec: { group: string; plural: string }): boolean => spec.group === '' && spec.plural === 'persistentvolumeclaims';
const DEFAULT = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** Defaulting on every write (kube decodes with defaults): `spec.volumeMode` Filesystem. */
export function defaultPvc(spec: { group: string; plural: string }, obj: KObject): void {
  if (!isPvc(spec) || !isPlainObject(obj['spec'])) return;
  const s = obj['spec'] as Record<string, unknown>;
  if (s['volumeMode'] === undefined || s['volumeMode'] === null) s['volumeMode'] = 'Filesystem';
}

/** Defaulting on create: a new claim's `status.phase` is Pending. */
export function defaultPvcStatus(spec: { group: string; plural: string }, obj: KObject): void {
  if (!isPvc(spec)) return;
  const status = (isPlainObject(obj['status']) ? obj['status'] : {}) as Record<string, unknown>;
  if (!status['phase']) status['phase'] = 'Pending';
  obj['status'] = status;
}

/** The DefaultStorageClass plugin, on CREATE: a claim with no class gets the newest default class (ties: by name). */
export function admitDefaultStorageClass(store: ObjectStore, spec: { group: string; plural: string }, obj: KObject): void {
  if (!isPvc(spec) || !isPlainObject(obj['spec'])) return;
  const s = obj['spec'] as Record<string, unknown>;
  const annotations = obj.metadata?.annotations ?? {};
  if (BETA_CLASS in annotations || (s['storageClassName'] !== undefined && s['storageClassName'] !== null)) return;
  const defaults = store.list('storage.k8s.io/storageclasses').filter((c) => {
    const a = c.metadata?.annotations ?? {};
    return a[DEFAULT] === 'true' || a[BETA_DEFAULT] === 'true';
  });
  // creationTimestamp has whole seconds, so classes made in the same second are told apart by name.
  defaults.sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  if (defaults[0]) s['storageClassName'] = defaults[0].metadata!.name;
}

/**
 * ValidatePersistentVolumeClaimSpec's storage request, on create: set, and greater than 0 (after the mutating
 * webhooks: a webhook that leaves a claim without a size or sets 0 gets it refused here).
 */
export function validatePvcCreate(spec: { group: string; plural: string }, obj: KObject): void {
  if (!isPvc(spec)) return;
  const requests = ((obj['spec'] as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests ?? {}) as Record<string, unknown>;
  const field = 'spec.resources[storage]';
  if (!Object.hasOwn(requests, 'storage')) throw invalid('PersistentVolumeClaim', '', obj.metadata?.name ?? '', [{ field, type: 'Required value', message: '' }]);
  const q = typeof requests['storage'] === 'string' || typeof requests['storage'] === 'number' ? parseQuantity(String(requests['storage'])) : undefined;
  if (q?.ok && q.quantity.bytes <= 0n) {
    throw invalid('PersistentVolumeClaim', '', obj.metadata?.name ?? '', [{ field, type: 'Invalid value', value: JSON.stringify(q.quantity.bytes === 0n ? '0' : String(requests['storage'])), message: 'must be greater than zero' }]);
  }
}

/**
 * A claim's spec is immutable but for: volumeName while unset, storageClassName while unset, the storage request
 * of a Bound claim, and volumeAttributesClassName.
 */
export function validatePvcUpdate(spec: { group: string; plural: string }, old: KObject, next: KObject): void {
  if (!isPvc(spec)) return;
  const o = structuredClone((old['spec'] ?? {}) as Record<string, unknown>);
  const n = structuredClone((next['spec'] ?? {}) as Record<string, unknown>);
  if (!o['volumeName']) delete n['volumeName'], delete o['volumeName'];
  if (o['storageClassName'] === undefined || o['storageClassName'] === null) delete n['storageClassName'], delete o['storageClassName'];
  delete o['volumeAttributesClassName'];
  delete n['volumeAttributesClassName'];
  const bound = (next['status'] as { phase?: string } | undefined)?.phase === 'Bound';
  const requests = (x: Record<string, unknown>) => (x['resources'] as { requests?: Record<string, unknown> } | undefined)?.requests;
  if (bound && requests(n) && requests(o)) requests(n)!['storage'] = requests(o)!['storage'];
  if (JSON.stringify(sorted(o)) !== JSON.stringify(sorted(n))) {
    throw invalid('PersistentVolumeClaim', '', next.metadata?.name ?? '', [
      { field: 'spec', type: 'Forbidden', message: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' },
    ]);
  }
}

const storageOf = (o: KObject): string | undefined => (o['spec'] as { resources?: { requests?: { storage?: unknown } } } | undefined)?.resources?.requests?.storage as string | undefined;
const bytes = (q: string | undefined): bigint | undefined => {
  const r = q === undefined ? undefined : parseQuantity(q);
  return r?.ok ? r.quantity.bytes : undefined;
};
const classOf = (o: KObject): string => (o.metadata?.annotations?.[BETA_CLASS] ?? (o['spec'] as { storageClassName?: string } | undefined)?.storageClassName) ?? '';

/**
 * The PersistentVolumeClaimResize plugin (validating, so after the spec check): a claim may grow only when Bound
 * and when its StorageClass, the same before and after, has `allowVolumeExpansion: true`.
 */
export function admitPvcResize(store: ObjectStore, spec: { group: string; plural: string }, old: KObject, next: KObject): void {
  if (!isPvc(spec)) return;
  const before = bytes(storageOf(old));
  const after = bytes(storageOf(next));
  if (before === undefined || after === undefined || after <= before) return;
  const forbid = (why: string) => new ApiError(403, 'Forbidden', `persistentvolumeclaims "${next.metadata?.name ?? ''}" is forbidden: ${why}`, { name: next.metadata?.name ?? '', kind: 'persistentvolumeclaims' });
  if ((old['status'] as { phase?: string } | undefined)?.phase !== 'Bound') throw forbid('Only bound persistent volume claims can be expanded');
  const cls = classOf(next);
  const sc = cls && cls === classOf(old) ? store.get('storage.k8s.io/storageclasses', undefined, cls) : undefined;
  if (sc?.['allowVolumeExpansion'] !== true) throw forbid('only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

// What kube-apiserver does to a PersistentVolumeClaim before any webhook sees it, and the one update rule the
// tools run into (facts §0.3). Mirrors k8s.io/kubernetes v1.34: SetDefaults_PersistentVolumeClaim(Spec)
// (pkg/apis/core/v1/defaults.go), the DefaultStorageClass admission plugin
// (plugin/pkg/admission/storage/storageclass/setdefault, with pkg/volume/util.GetDefaultClass) and the spec
// check of ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation). Tests: test/emulator/pvcRules.test.ts,
// and test/cluster/serverBehaviour.test.ts against the real server.
import type { ObjectStore } from './store.js';
import { invalid } from './errors.js';
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

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * StorageClass resolution as CDI does it (pkg/controller/common/util.go): an explicit name is looked up with
 * no fallback; no name falls back to the default-virt class (kubevirt content only), then the k8s default.
 */
import type { Facts, StorageClassFact } from '../facts.js';
import { ANNOTATION } from '../kinds/index.js';

/** `cdi.kubevirt.io/storage.contentType` values; anything else counts as kubevirt (GetContentType). */
export type ContentType = 'kubevirt' | 'archive';

/** Mirrors GetPVCContentType / GetContentType (pkg/controller/common/util.go, v1.5x+): default and unknown values are kubevirt. */
export function pvcContentType(annotations: Record<string, string>): ContentType {
  return contentTypeOf(annotations[ANNOTATION.contentType]);
}

/** Mirrors GetContentType: only "archive" is archive. */
export function contentTypeOf(value: string | undefined): ContentType {
  return value === 'archive' ? 'archive' : 'kubevirt';
}

/** The class CDI picked and why. */
export interface StorageClassChoice {
  /** The class name CDI leaves in the spec; '' stays '' and a missing class keeps its name. */
  name?: string;
  from: 'spec' | 'virt-default' | 'default' | 'none' | 'missing';
  fact?: StorageClassFact;
}

// metav1.Time.UnixNano() of the zero time wraps to about year 1754, older than any real object: an absent
// creationTimestamp sorts last among the candidates, as the zero time does in CDI.
function creationMillis(sc: StorageClassFact): number {
  const t = sc.creationTimestamp === undefined ? Number.NaN : Date.parse(sc.creationTimestamp);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * Mirrors GetPlatformDefaultStorageClass (pkg/controller/common/util.go, v1.58+): among classes carrying the
 * annotation, the newest creationTimestamp wins, then the name in ascending (byte) order.
 */
export function platformDefaultStorageClass(classes: StorageClassFact[], annotation: 'isDefault' | 'isDefaultVirt'): StorageClassFact | undefined {
  const candidates = classes.filter((sc) => sc[annotation]);
  candidates.sort((a, b) => {
    const ta = creationMillis(a);
    const tb = creationMillis(b);
    if (ta !== tb) return tb > ta ? 1 : -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return candidates[0];
}

/**
 * Mirrors the API server's DefaultStorageClass admission plugin (kubernetes
 * plugin/pkg/admission/storage/storageclass/setdefault, with GetDefaultClass of pkg/volume/util/storageclass.go,
 * k8s >= 1.26): among classes annotated default, GA or beta spelling (IsDefaultAnnotation), the newest
 * creationTimestamp wins, then the name in ascending order. It runs before any mutating webhook
 * (AllOrderedPlugins), so it is what fills an absent `storageClassName` of a PVC CDI's webhook sees.
 */
export function admissionDefaultStorageClass(classes: StorageClassFact[]): StorageClassFact | undefined {
  const marked = classes.filter((sc) => sc.isDefault || sc.isDefaultBeta === true).map((sc) => ({ ...sc, isDefault: true }));
  const chosen = platformDefaultStorageClass(marked, 'isDefault');
  return chosen && classes.find((sc) => sc.name === chosen.name);
}

/**
 * Mirrors getStorageClassByName via GetStorageClassByNameWithVirtFallback (pkg/controller/common/util.go,
 * v1.58+) as the PVC webhook calls it with the content type. The webhook reads StorageClasses from a cache (also
 * from v1.65.0, where #4046 made its other reads uncached: cmd/cdi-apiserver semiCachingClient keeps PVs,
 * StorageClasses and StorageProfiles cached), so a Get of the name "" is a plain not-found: '' resolves to no
 * class, never to the default.
 */
export function resolveStorageClass(name: string | undefined, contentType: ContentType, facts: Facts): StorageClassChoice {
  if (name !== undefined) {
    const fact = name === '' ? undefined : facts.storageClass(name);
    if (fact) return { name, from: 'spec', fact };
    return { name, from: name === '' ? 'none' : 'missing' };
  }
  const classes = facts.storageClasses();
  if (contentType === 'kubevirt') {
    const virt = platformDefaultStorageClass(classes, 'isDefaultVirt');
    if (virt) return { name: virt.name, from: 'virt-default', fact: virt };
  }
  const k8s = platformDefaultStorageClass(classes, 'isDefault');
  if (k8s) return { name: k8s.name, from: 'default', fact: k8s };
  return { from: 'none' };
}

/**
 * The class GetFilesystemOverheadForStorageClass (pkg/controller/common/util.go, v1.6x) reads the overhead of:
 * the named class via GetStorageClassByNameWithK8sFallback, and when that is not found, the k8s default class
 * (never the virt default). Undefined means "use the global overhead". The '' case is handled by the caller.
 */
export function storageClassForOverhead(name: string | undefined, facts: Facts): StorageClassFact | undefined {
  if (name !== undefined) {
    const fact = facts.storageClass(name);
    if (fact) return fact;
  }
  return platformDefaultStorageClass(facts.storageClasses(), 'isDefault');
}

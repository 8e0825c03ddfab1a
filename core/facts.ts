/**
 * Facts: what the analysis needs to know about the world outside one manifest.
 * The workspace supplies them from YAML in open files and folders; the cluster (cluster/) supplies them
 * from watch-backed caches. Core only reads this interface; it never fetches.
 */
import type { KubevirtVersionFact } from './kubevirt/version.js';
import type { KindName } from './kinds/index.js';
/** Where a fact came from, so messages and hovers can say so. */
export type FactSource =
  | { kind: 'workspace'; file: string }
  | { kind: 'cluster'; context?: string }
  | { kind: 'default'; reason: string }
  | { kind: 'setting'; name: string };

export interface SnapshotFact {
  namespace: string;
  name: string;
  /** `status.restoreSize` in bytes; undefined when the snapshot has not reported one yet. */
  restoreSizeBytes?: bigint;
  /** The quantity text as written/served, e.g. "20Mi". */
  restoreSizeText?: string;
  readyToUse?: boolean;
  /** `spec.volumeSnapshotClassName`, when set. */
  volumeSnapshotClassName?: string;
  /** `spec.source.persistentVolumeClaimName`, when set. */
  sourcePvcName?: string;
  /** Annotation `cdi.kubevirt.io/storage.import.sourceVolumeMode` (DataImportCron snapshots): CDI's fallback for the source's volume mode. */
  importSourceVolumeMode?: string;
  /** `spec.source.volumeSnapshotContentName`: a pre-provisioned snapshot's content. */
  contentName?: string;
  /** `status.boundVolumeSnapshotContentName`. */
  boundContentName?: string;
  /** `metadata.uid`, when the object has one (a live object; a manifest rarely). */
  uid?: string;
  source: FactSource;
}

/**
 * A VolumeSnapshotContent (cluster-scoped). Its `status.restoreSize` is an int64 byte count, not a Quantity; the
 * snapshot controller copies it to the VolumeSnapshot as `resource.NewQuantity(bytes, BinarySI)`.
 */
export interface SnapshotContentFact {
  name: string;
  driver?: string;
  deletionPolicy?: string;
  /** `spec.source.volumeHandle` (a dynamically provisioned content). */
  volumeHandle?: string;
  /** `spec.source.snapshotHandle` (a pre-provisioned content). */
  snapshotHandle?: string;
  /** `spec.sourceVolumeMode`: the source volume's mode (set from the PV by the snapshot controller). */
  sourceVolumeMode?: string;
  volumeSnapshotClassName?: string;
  /** `spec.volumeSnapshotRef`: the VolumeSnapshot it is (to be) bound to. */
  snapshotRef: { name?: string; namespace?: string; uid?: string };
  /** `status.restoreSize` in bytes, when it is a non-negative integer. */
  restoreSizeBytes?: bigint;
  readyToUse?: boolean;
  source: FactSource;
}

export interface StorageClassFact {
  name: string;
  provisioner?: string;
  /** `storageclass.kubernetes.io/is-default-class: "true"` */
  isDefault: boolean;
  /** `storageclass.kubevirt.io/is-default-virt-class: "true"` */
  isDefaultVirt: boolean;
  /**
   * `storageclass.beta.kubernetes.io/is-default-class: "true"`: the API server's DefaultStorageClass admission
   * still honours it (IsDefaultAnnotation, k8s pkg/volume/util/storageclass.go); CDI does not.
   */
  isDefaultBeta?: boolean;
  /** RFC 3339; among several defaults the newest wins (CDI and Kubernetes). */
  creationTimestamp?: string;
  parameters: Record<string, string>;
  volumeBindingMode?: string;
  /** `allowVolumeExpansion: true`: CDI can restore a snapshot at restoreSize, then grow it to the request. */
  allowVolumeExpansion?: boolean;
  source: FactSource;
}

/** A VolumeSnapshotClass: `driver`, `deletionPolicy` and `parameters` are top-level (there is no `spec`). */
export interface SnapshotClassFact {
  name: string;
  driver?: string;
  /** `snapshot.storage.kubernetes.io/is-default-class: "true"` */
  isDefault: boolean;
  parameters: Record<string, string>;
  source?: FactSource;
}

export interface ClaimPropertySet {
  accessModes: string[];
  volumeMode?: 'Filesystem' | 'Block';
}

export interface StorageProfileFact {
  /** Same name as its StorageClass. */
  name: string;
  /** Effective sets: `status.claimPropertySets`, else `spec.claimPropertySets`. */
  claimPropertySets: ClaimPropertySet[];
  /** Whether the sets came from status (what CDI uses) or only from spec. */
  claimPropertySetsFrom: 'status' | 'spec' | 'none';
  /** Annotation `cdi.kubevirt.io/minimumSupportedPvcSize`, in bytes. */
  minimumSupportedPvcSizeBytes?: bigint;
  minimumSupportedPvcSizeText?: string;
  /** The VolumeSnapshotClass it uses: `status.snapshotClass`, else `spec.snapshotClass`. */
  snapshotClass?: string;
  /** Annotation `cdi.kubevirt.io/snapshotClassForDataImportCron` (CDI v1.65+: golden-image snapshots). */
  snapshotClassForDataImportCron?: string;
  source: FactSource;
}

export interface CdiConfigFact {
  /** `status.filesystemOverhead.global` (CDI consumers read status, never spec). */
  globalOverhead?: string;
  /** `status.filesystemOverhead.storageClass`. */
  storageClassOverhead: Record<string, string>;
  /**
   * What its `spec` says of the PVC webhook, when the object has a spec: `featureGates` (the
   * `WebhookPvcRendering` gate before CDI v1.66; undefined when the field is absent) and `webhookPvcRendering`
   * (v1.66+: `Enabled`|`Disabled`, absent = enabled).
   */
  spec?: CdiWebhookSwitches;
  source: FactSource;
}

/** What a CDIConfig `spec` or a CDI CR `spec.config` says of the PVC webhook. */
export interface CdiWebhookSwitches {
  /** `featureGates`; undefined when the field is absent. */
  featureGates?: string[];
  /** `webhookPvcRendering` (v1.66+). */
  webhookPvcRendering?: string;
  /** Where it came from, when not the fact's `source` (layered facts). */
  source?: FactSource;
}

/** The CDI CR: its version, and the configuration its operator copies into CDIConfig `spec`. */
export interface CdiVersionFact {
  /** `status.observedVersion`, e.g. "v1.63.1"; undefined when the CR reports none. */
  version?: string;
  /** `spec.config`, when the CR has one. */
  config?: CdiWebhookSwitches;
  source: FactSource;
}

/** A label selector as a webhook configuration writes it. */
export interface LabelSelectorFact {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

/**
 * CDI's PVC webhook on a live cluster: whether the `cdi-api-pvc-mutate` MutatingWebhookConfiguration exists (the
 * operator deletes it when PVC rendering is off), and what its webhooks select.
 */
export interface PvcWebhookFact {
  present: boolean;
  webhooks: {
    name: string;
    /** Whether a rule covers CREATE of core/v1 persistentvolumeclaims. */
    matchesPvcCreate: boolean;
    objectSelector?: LabelSelectorFact;
    namespaceSelector?: LabelSelectorFact;
  }[];
  source: FactSource;
}

/**
 * What the API server stored when asked to create a PVC as a server-side dry run (`dryRun=All`: defaulting,
 * DefaultStorageClass and the mutating webhooks ran, nothing was kept): "the cluster's own answer".
 */
export interface LiveRenderFact {
  /** probeKey() of the PVC that was sent: storage class × label × volume mode × source kind. */
  key: string;
  /** What was sent, in words ("restore PVC vms/restore-tpm (volume tpm)"). */
  sentDescribe: string;
  namespace: string;
  sent: { storageClassName?: string; volumeMode?: string; requestBytes?: bigint };
  /** The stored spec; undefined when the API server refused the PVC. */
  stored?: { storageClassName?: string; volumeMode?: string; accessModes: string[]; requestBytes?: bigint; requestText?: string };
  /** The API server's refusal (a webhook's denial, a validation error). */
  refused?: string;
  /** When it was asked (RFC 3339, from the adapter's clock). */
  at: string;
  source: FactSource;
}

/** A PVC as KubeVirt stored it in a VirtualMachineSnapshotContent's `volumeBackups`. */
export interface VolumeBackupFact {
  volumeName: string;
  /** `persistentVolumeClaim.metadata.name` of the source PVC. */
  pvcName?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  /** `spec.resources.requests.storage` of the source PVC. */
  requestText?: string;
  requestBytes?: bigint;
  volumeSnapshotName?: string;
}

export interface VmSnapshotFact {
  namespace: string;
  name: string;
  /** `status.virtualMachineSnapshotContentName`. */
  contentName?: string;
  /** `spec.source.name` (a VirtualMachine). */
  vmName?: string;
  readyToUse?: boolean;
  phase?: string;
  source: FactSource;
}

export interface VmSnapshotContentFact {
  namespace: string;
  name: string;
  /** `spec.virtualMachineSnapshotName`. */
  snapshotName?: string;
  volumeBackups: VolumeBackupFact[];
  source: FactSource;
}

/** A StatefulSet's `volumeClaimTemplates[]` entry: what each replica's PVC `<name>-<sts>-<ordinal>` is made from. */
export interface ClaimTemplateFact {
  name: string;
  requestText?: string;
  requestBytes?: bigint;
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  labels: Record<string, string>;
}

/** An apps/v1 StatefulSet, as the VolumeResize checks read it. */
export interface StatefulSetFact {
  namespace: string;
  name: string;
  /** `spec.replicas`; 1 when absent (the API server's default). */
  replicas: number;
  /** `spec.template.metadata.labels`: what PodDisruptionBudgets select. */
  templateLabels: Record<string, string>;
  /** `spec.selector.matchLabels`. */
  selector: Record<string, string>;
  volumeClaimTemplates: ClaimTemplateFact[];
  source: FactSource;
}

/** A PersistentVolumeClaim as the VolumeResize checks read it: the fields of its ClaimObjectFact they use. */
export type PvcFact = Pick<ClaimObjectFact, 'namespace' | 'name' | 'requestText' | 'requestBytes' | 'capacityText' | 'capacityBytes' | 'storageClassName' | 'accessModes' | 'volumeName' | 'phase' | 'source'>;

/** A policy/v1 PodDisruptionBudget. */
export interface PdbFact {
  namespace: string;
  name: string;
  /** Whether `spec.selector` is set at all (the operator skips a PDB without one). */
  hasSelector: boolean;
  matchLabels: Record<string, string>;
  /** `status.disruptionsAllowed`, when the disruption controller has reported it. */
  disruptionsAllowed?: number;
  /** `spec.minAvailable` / `spec.maxUnavailable` as written (an integer or a percentage). */
  minAvailable?: string;
  maxUnavailable?: string;
  source: FactSource;
}

/** A PersistentVolume, as the VolumeResize checks and the rollback read it. */
export interface PvFact {
  name: string;
  capacityText?: string;
  capacityBytes?: bigint;
  storageClassName?: string;
  reclaimPolicy?: string;
  phase?: string;
  claimRef?: { namespace?: string; name?: string; uid?: string };
  /** Whether `spec.nodeAffinity` pins the volume to some nodes or zones. */
  pinned: boolean;
  source: FactSource;
}

/**
 * What the kubelet reports of a mounted volume (`/api/v1/nodes/<node>/proxy/stats/summary`, `usedBytes`), or
 * why that could not be read, or that the reading is under way (the facts change when it arrives).
 */
export type VolumeUsageFact =
  | { state: 'known'; usedBytes: bigint; capacityBytes?: bigint; node: string; pod: string }
  | { state: 'pending' }
  | { state: 'unreadable'; reason: string };
/** A CDI DataSource: what a DataVolume's `sourceRef` resolves to (`spec.source.snapshot` or `spec.source.pvc`). */
export interface DataSourceFact {
  namespace: string;
  name: string;
  /** `spec.source.snapshot` (its namespace defaulted to the DataSource's). */
  snapshot?: { namespace: string; name: string };
  /** `spec.source.pvc`. */
  pvc?: { namespace: string; name: string };
  source: FactSource;
}

/** Kinds that rules and completion look up by name, outside the globals (their edits are frequent). */
export type ClaimObjectKind = 'PersistentVolumeClaim' | 'DataVolume' | 'VolumeCloneSource' | 'VolumeImportSource' | 'VolumeUploadSource';

export const claimObjectKinds: readonly ClaimObjectKind[] = ['PersistentVolumeClaim', 'DataVolume', 'VolumeCloneSource', 'VolumeImportSource', 'VolumeUploadSource'];

/**
 * An object a claim can name: a PVC (a VM volume's claim, a clone source), a DataVolume (a VM volume), a CDI
 * populator source (a `dataSourceRef`). Sizes are as written or served.
 */
export interface ClaimObjectFact {
  kind: ClaimObjectKind;
  namespace: string;
  name: string;
  /** PVC: `spec.resources.requests.storage`; DataVolume: that of `spec.storage`, else `spec.pvc`. */
  requestText?: string;
  requestBytes?: bigint;
  /** PVC: `status.capacity.storage`. */
  capacityText?: string;
  capacityBytes?: bigint;
  storageClassName?: string;
  volumeMode?: string;
  accessModes?: string[];
  /** `status.phase` (PVC: Pending/Bound/Lost; DataVolume: Succeeded, ...). */
  phase?: string;
  /** PVC: `spec.volumeName` (the PV it is bound to; the VolumeResize rollback reads it). */
  volumeName?: string;
  /**
   * PVC: its content type as CDI's GetPVCContentType reads the `cdi.kubevirt.io/storage.contentType` annotation
   * (absent or any value but "archive" is kubevirt). Set by the readers for every PVC, from YAML and live objects
   * alike; undefined only when whoever built the fact did not read annotations.
   */
  contentType?: 'kubevirt' | 'archive';
  /** VolumeCloneSource: `spec.source` (kind PersistentVolumeClaim or VolumeSnapshot, and name); VolumeImportSource: its URL. */
  populatorSource?: { kind?: string; name?: string; url?: string };
  source: FactSource;
}

/** Read-only view of the world. Implementations: workspace index, cluster caches, layered. */
export interface Facts {
  volumeSnapshot(namespace: string, name: string): SnapshotFact | undefined;
  storageClass(name: string): StorageClassFact | undefined;
  storageClasses(): StorageClassFact[];
  storageProfile(name: string): StorageProfileFact | undefined;
  cdiConfig(): CdiConfigFact | undefined;
  cdiVersion(): CdiVersionFact | undefined;
  /** The KubeVirt CR's reported version (optional: providers that know none may leave it out). */
  kubevirtVersion?(): KubevirtVersionFact | undefined;
  /** VolumeSnapshotClasses (optional: providers that know none may leave them out). */
  volumeSnapshotClass?(name: string): SnapshotClassFact | undefined;
  volumeSnapshotClasses?(): SnapshotClassFact[];
  /** A VolumeSnapshotContent by name (optional: providers that know none may leave them out). */
  volumeSnapshotContent?(name: string): SnapshotContentFact | undefined;
  /** KubeVirt VM snapshots and their contents (optional: providers that know none may leave them out). */
  virtualMachineSnapshot?(namespace: string, name: string): VmSnapshotFact | undefined;
  virtualMachineSnapshotContent?(namespace: string, name: string): VmSnapshotContentFact | undefined;
  /** What the VolumeResize checks read (optional: the workspace knows no usage, a look without caches no PDBs). */
  statefulSet?(namespace: string, name: string): StatefulSetFact | undefined;
  /** The StatefulSets of a namespace (what completion offers). */
  statefulSets?(namespace: string): StatefulSetFact[];
  persistentVolumeClaim?(namespace: string, name: string): PvcFact | undefined;
  podDisruptionBudgets?(namespace: string): PdbFact[];
  persistentVolume?(name: string): PvFact | undefined;
  /** The volume a pod mounts as PVC `pvc`, as its node's kubelet reports it; undefined without a cluster. */
  volumeUsage?(namespace: string, pvc: string, pod: string): VolumeUsageFact | undefined;
  /** Whether the connected cluster serves a kind (an operator's CRD installed); undefined without a cluster. */
  serves?(kind: KindName): boolean | undefined;
  /** The context of the connected, synced cluster; undefined without one. */
  connectedContext?(): string | undefined;
  /** CDI's PVC webhook configuration on the live cluster (optional: only a connected cluster knows it). */
  pvcWebhook?(): PvcWebhookFact | undefined;
  /** The cluster's answer to a dry-run create of a PVC of this probeKey (optional: only after one was asked). */
  liveRender?(key: string): LiveRenderFact | undefined;
  /** CDI DataSources (optional: the cluster side does not watch them yet). */
  dataSource?(namespace: string, name: string): DataSourceFact | undefined;
  /** The VolumeSnapshots of a namespace, for completion (optional). */
  volumeSnapshots?(namespace: string): SnapshotFact[];
  /** An object a claim names (optional: providers that know none may leave them out). */
  claimObject?(kind: ClaimObjectKind, namespace: string, name: string): ClaimObjectFact | undefined;
  /** Every such object of `kind` in `namespace`, by name. */
  claimObjects?(kind: ClaimObjectKind, namespace: string): ClaimObjectFact[];
}

/**
 * What the cluster adds on top of the workspace. cluster/ implements it (issue 4); until then, and whenever
 * no cluster is connected, `noCluster` is used.
 */
export interface ClusterFactsProvider extends Facts {
  /** 'connected' when the caches are synced; otherwise why not, for one status message. */
  readonly state: { kind: 'none' } | { kind: 'connected'; context: string } | { kind: 'unavailable'; reason: string };
  /** Increases whenever the facts or the state change (live providers only). */
  readonly generation?: number;
  /** Called, lightly debounced, after the facts or the state changed (live providers only). */
  onDidChange?(listener: (generation: number) => void): { dispose(): void };
}

export const noCluster: ClusterFactsProvider = {
  state: { kind: 'none' },
  volumeSnapshot: () => undefined,
  storageClass: () => undefined,
  storageClasses: () => [],
  storageProfile: () => undefined,
  cdiConfig: () => undefined,
  cdiVersion: () => undefined,
};

/** Workspace facts first (what the user is writing wins), then the cluster's. */
export function layerFacts(first: Facts, second: Facts): Facts {
  return {
    volumeSnapshot: (ns, n) => first.volumeSnapshot(ns, n) ?? second.volumeSnapshot(ns, n),
    storageClass: (n) => first.storageClass(n) ?? second.storageClass(n),
    storageClasses: () => {
      const seen = new Set<string>();
      const out: StorageClassFact[] = [];
      for (const sc of [...first.storageClasses(), ...second.storageClasses()]) {
        if (!seen.has(sc.name)) {
          seen.add(sc.name);
          out.push(sc);
        }
      }
      return out;
    },
    storageProfile: (n) => first.storageProfile(n) ?? second.storageProfile(n),
    volumeSnapshotClass: (n) => first.volumeSnapshotClass?.(n) ?? second.volumeSnapshotClass?.(n),
    volumeSnapshotClasses: () => {
      const seen = new Set<string>();
      return [...(first.volumeSnapshotClasses?.() ?? []), ...(second.volumeSnapshotClasses?.() ?? [])].filter((c) => !seen.has(c.name) && !!seen.add(c.name));
    },
    cdiConfig: () => mergeCdiConfig(first.cdiConfig(), second.cdiConfig()),
    cdiVersion: () => mergeCdi(first.cdiVersion(), second.cdiVersion()),
    volumeSnapshotContent: (n) => first.volumeSnapshotContent?.(n) ?? second.volumeSnapshotContent?.(n),
    kubevirtVersion: () => first.kubevirtVersion?.() ?? second.kubevirtVersion?.(),
    virtualMachineSnapshot: (ns, n) => first.virtualMachineSnapshot?.(ns, n) ?? second.virtualMachineSnapshot?.(ns, n),
    virtualMachineSnapshotContent: (ns, n) => first.virtualMachineSnapshotContent?.(ns, n) ?? second.virtualMachineSnapshotContent?.(ns, n),
    statefulSet: (ns, n) => first.statefulSet?.(ns, n) ?? second.statefulSet?.(ns, n),
    statefulSets: (ns) => {
      const own = first.statefulSets?.(ns) ?? [];
      const names = new Set(own.map((s) => s.name));
      return [...own, ...(second.statefulSets?.(ns) ?? []).filter((s) => !names.has(s.name))];
    },
    persistentVolumeClaim: (ns, n) => first.persistentVolumeClaim?.(ns, n) ?? second.persistentVolumeClaim?.(ns, n),
    podDisruptionBudgets: (ns) => {
      const own = first.podDisruptionBudgets?.(ns) ?? [];
      const names = new Set(own.map((p) => p.name));
      return [...own, ...(second.podDisruptionBudgets?.(ns) ?? []).filter((p) => !names.has(p.name))];
    },
    persistentVolume: (n) => first.persistentVolume?.(n) ?? second.persistentVolume?.(n),
    volumeUsage: (ns, pvc, pod) => first.volumeUsage?.(ns, pvc, pod) ?? second.volumeUsage?.(ns, pvc, pod),
    serves: (kind) => first.serves?.(kind) ?? second.serves?.(kind),
    connectedContext: () => first.connectedContext?.() ?? second.connectedContext?.(),
    pvcWebhook: () => first.pvcWebhook?.() ?? second.pvcWebhook?.(),
    liveRender: (key) => first.liveRender?.(key) ?? second.liveRender?.(key),
    dataSource: (ns, n) => first.dataSource?.(ns, n) ?? second.dataSource?.(ns, n),
    volumeSnapshots: (ns) => {
      const own = first.volumeSnapshots?.(ns) ?? [];
      const names = new Set(own.map((o) => o.name));
      return [...own, ...(second.volumeSnapshots?.(ns) ?? []).filter((o) => !names.has(o.name))];
    },
    claimObject: (k, ns, n) => first.claimObject?.(k, ns, n) ?? second.claimObject?.(k, ns, n),
    claimObjects: (k, ns) => {
      const own = first.claimObjects?.(k, ns) ?? [];
      const names = new Set(own.map((o) => o.name));
      return [...own, ...(second.claimObjects?.(k, ns) ?? []).filter((o) => !names.has(o.name))];
    },
  };
}

/**
 * One CDIConfig of two, part by part: a workspace file holding only `spec` (or only `status`) does not hide what
 * the cluster's says of the other part.
 */
function mergeCdiConfig(first: CdiConfigFact | undefined, second: CdiConfigFact | undefined): CdiConfigFact | undefined {
  if (!first || !second) return first ?? second;
  const statusOf = (c: CdiConfigFact) => c.globalOverhead !== undefined || Object.keys(c.storageClassOverhead).length > 0;
  if (statusOf(first) && first.spec) return first;
  const status = statusOf(first) ? first : second;
  const spec = first.spec ? first : second;
  if (status === spec) return status;
  return { ...status, ...(spec.spec ? { spec: { ...spec.spec, source: spec.spec.source ?? spec.source } } : {}) };
}

/** One CDI CR of two: the version and the configuration each from the first that states them. */
function mergeCdi(first: CdiVersionFact | undefined, second: CdiVersionFact | undefined): CdiVersionFact | undefined {
  if (!first || !second) return first ?? second;
  if (first.version !== undefined && first.config !== undefined) return first;
  const version = first.version !== undefined ? first : second;
  const config = first.config !== undefined ? first : second;
  if (version === config) return version;
  return { ...version, ...(config.config ? { config: { ...config.config, source: config.config.source ?? config.source } } : {}) };
}

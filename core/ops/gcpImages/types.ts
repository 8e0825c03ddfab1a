/**
 * The GCP golden-image workaround (the seven steps of `gcp-storageclass-workaround.md`) as data: what the
 * cluster reader (cluster/ops/gcpImages) hands the pure detection, planner and verification, and what they
 * answer. Objects are the API server's JSON, untyped beyond the fields read here.
 */
import type { PlanTarget } from '../types.js';

/** An API object as read (only the fields the workaround reads are typed). */
export interface ObjectJson {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface StorageClassJson extends ObjectJson {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
  allowedTopologies?: unknown[];
}

export interface SnapshotClassJson extends ObjectJson {
  driver?: string;
  deletionPolicy?: string;
  parameters?: Record<string, string>;
}

export interface ClaimPropertySetJson {
  accessModes?: string[];
  volumeMode?: string;
}

export interface StorageProfileJson extends ObjectJson {
  spec?: { claimPropertySets?: ClaimPropertySetJson[]; snapshotClass?: string; [field: string]: unknown };
  status?: { claimPropertySets?: ClaimPropertySetJson[]; snapshotClass?: string; storageClass?: string; provisioner?: string; [field: string]: unknown };
}

export interface VolumeSnapshotJson extends ObjectJson {
  spec?: { volumeSnapshotClassName?: string; source?: { persistentVolumeClaimName?: string } };
  status?: { readyToUse?: boolean; creationTime?: string; error?: { message?: string } };
}

export interface DataImportCronJson extends ObjectJson {
  spec?: { managedDataSource?: string; template?: { spec?: { storage?: { storageClassName?: string } } } };
}

/** A PVC or a DataVolume of a VM: where its disk came from and which class it is on. */
export interface DiskJson {
  namespace: string;
  name: string;
  /** The PVC's `spec.storageClassName` (the DataVolume's own PVC when it has one). */
  storageClassName?: string;
  /** `DataSource <namespace>/<name>` or `VolumeSnapshot <namespace>/<name>` it was made from, when known. */
  from?: { kind: 'DataSource' | 'VolumeSnapshot'; namespace: string; name: string };
  creationTimestamp?: string;
}

/** One DataImportCronTemplate of the HyperConverged CR (spec or status), as JSON. */
export interface TemplateJson {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    schedule?: string;
    managedDataSource?: string;
    template?: { spec?: { storage?: { storageClassName?: string; [field: string]: unknown }; [field: string]: unknown }; [field: string]: unknown };
    [field: string]: unknown;
  };
  status?: { commonTemplate?: boolean; modified?: boolean; [field: string]: unknown };
  [field: string]: unknown;
}

export type HcoApiVersion = 'hco.kubevirt.io/v1' | 'hco.kubevirt.io/v1beta1';

export interface HyperConvergedJson extends ObjectJson {
  spec?: Record<string, unknown>;
  status?: { dataImportCronTemplates?: TemplateJson[]; versions?: { name?: string; version?: string }[]; [field: string]: unknown };
}

/** Everything detection, planning and verification read, as the reader found it. */
export interface GcpImagesInputs {
  target: PlanTarget;
  /** OpenShift API groups are served. */
  openshift: boolean;
  /** A CSIDriver object `pd.csi.storage.gke.io` exists; undefined when that could not be read. */
  csiDriver?: boolean;
  storageClasses: StorageClassJson[];
  /** undefined: snapshot.storage.k8s.io/v1 is not served. */
  snapshotClasses?: SnapshotClassJson[];
  /** Whether the cluster still serves snapshot.storage.k8s.io/v1beta1 (it should not). */
  snapshotV1beta1Served?: boolean;
  cdi: { served: boolean; version?: string; versionSource?: string };
  storageProfiles: StorageProfileJson[];
  /** The HyperConverged CR, read at the API version the cluster prefers; undefined when there is none. */
  hco?: { apiVersion: HcoApiVersion; object: HyperConvergedJson; served: HcoApiVersion[] };
  /** Whether hco.kubevirt.io is served at all. */
  hcoServed: boolean;
  dataImportCrons: DataImportCronJson[];
  /** Which of the well-known golden-image namespaces exist. */
  namespaces: Record<string, boolean>;
  /** VolumeSnapshots labelled `cdi.kubevirt.io/dataImportCron`, in every namespace that could be read. */
  cronSnapshots: VolumeSnapshotJson[];
  /** VM disks (for verification): PVCs and DataVolumes outside the golden-image namespace. */
  disks: DiskJson[];
  /** What could not be read, in sentences (detection says so rather than guessing). */
  unread: string[];
}

export type StepId =
  | 'images-storage-class'
  | 'default-snapshot-class'
  | 'images-snapshot-class'
  | 'storage-profile'
  | 'golden-image-templates'
  | 'golden-image-snapshots'
  | 'verify';

export type StepState = 'needed' | 'done' | 'not-needed';

export interface StepReport {
  /** 1 … 7, as the procedure numbers them. */
  step: number;
  id: StepId;
  title: string;
  state: StepState;
  /** Why, in a sentence naming the objects. */
  reason: string;
}

/** The user's choices (options of the `gcp-images` operation). */
export interface GcpImagesOptions {
  /** Name of the StorageClass and VolumeSnapshotClass the workaround creates (default `cnv-images`). */
  className?: string;
  /** The hyperdisk StorageClass to copy (default: the virt-default PD class, else the default, else the first hyperdisk one). */
  sourceClass?: string;
  /** The VolumeSnapshotClass to keep as the driver's default (default: the current default, else the first by name). */
  defaultSnapshotClass?: string;
  /** The golden-image namespace (default: detected). */
  namespace?: string;
  /** Steps to plan even where detection says not needed (numbers or ids, comma-separated, or `all`). */
  steps?: string;
}

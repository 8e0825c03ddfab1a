/** The doctor's view of a cluster and its findings: the lint finding shape with a resource instead of a range. */
import type { Facts, SnapshotFact, StorageClassFact, StorageProfileFact, VmSnapshotFact } from '../facts.js';
import type { Severity } from '../types.js';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ClusterFinding {
  rule: string;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  data?: Record<string, string>;
}

export interface SnapshotClassFact {
  name: string;
  driver?: string;
  /** `snapshot.storage.kubernetes.io/is-default-class: "true"` */
  isDefault: boolean;
  parameters: Record<string, string>;
}

/** Everything the doctor lists; cluster/ implements it over its caches, tests from fixtures. */
export interface ClusterInventory {
  facts: Facts;
  storageClasses(): StorageClassFact[];
  storageProfiles(): StorageProfileFact[];
  snapshotClasses(): SnapshotClassFact[];
  /** All VolumeSnapshots, or those of one namespace. */
  volumeSnapshots(namespace?: string): SnapshotFact[];
  vmSnapshots(namespace?: string): VmSnapshotFact[];
  /** The groups the cluster serves, to say "not installed" instead of "nothing found". */
  serves(group: string): boolean;
}

/** The doctor's view of a cluster and its findings: the lint finding shape with a resource instead of a range. */
import type { Facts, SnapshotClassFact, SnapshotFact, StorageClassFact, StorageProfileFact, VmSnapshotFact } from '../facts.js';
import type { KindName } from '../kinds/index.js';
import type { RuleMeta } from '../rules/rule.js';
import type { ProbeResult } from './probe.js';
import type { Settings, Severity } from '../types.js';

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

export type { SnapshotClassFact } from '../facts.js';

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
  /** The dry-run probes `doctor --probe` made, with the cluster's answers (none without --probe). */
  probes?(): ProbeResult[];
}

export interface DoctorScope {
  /** undefined: all namespaces (cluster-scoped checks always run). */
  namespace?: string;
}

/**
 * A doctor check, declared with its metadata (the rule catalogue is built from these and the lint rules'). Its
 * `kinds` are those it cannot do without: when the cluster does not serve one, or it cannot be read, the check
 * is skipped and the CLI says so.
 */
export interface DoctorCheck extends RuleMeta {
  reads: 'cluster';
  /** Kinds it also reads when the cluster has them (CDI's render: the overhead and the version). */
  alsoReads: readonly KindName[];
  run(inv: ClusterInventory, scope: DoctorScope, settings: Settings): ClusterFinding[];
}

/** A doctor check reporting under a lint rule's id: the rule's metadata, one declaration for both. */
export function sameAs(rule: RuleMeta): Pick<RuleMeta, 'id' | 'defaultSeverity' | 'title' | 'description'> {
  return { id: rule.id, defaultSeverity: rule.defaultSeverity, title: rule.title, description: rule.description };
}

/** The shape of one resource kind's descriptor in the registry (registry.ts). */
import type { FactReader } from './readers.js';

export type Scope = 'Namespaced' | 'Cluster';

/** A field path in an object; `'*'` stands for each item of the sequence before it. */
export type FieldPattern = readonly (string | '*')[];

export interface KindDescriptor<F = unknown> {
  /** The API group, '' for the core group. */
  readonly group: string;
  readonly kind: string;
  /** The resource name in REST paths (`volumesnapshots`). */
  readonly plural: string;
  readonly scope: Scope;
  /** The version the tools read from and write to a cluster: the served, preferred one. */
  readonly version: string;
  /** Older versions that supported clusters may serve instead: discovery falls back to them, in this order. */
  readonly fallbackVersions?: readonly string[];
  /** Versions manifests may still carry that the tools do not read from a cluster: recognised in YAML (so a rule can say "not served"). */
  readonly olderVersions?: readonly string[];
  /** The name of the live cache the cluster side keeps of this kind (cluster/storageCaches.ts); absent: not watched. */
  readonly watch?: string;
  /** The fact the kind yields: one reader for YAML documents and live objects alike. */
  readonly fact?: {
    readonly read: FactReader<F>;
    /**
     * Part of core's Facts: collected from the workspace's files and served from the cluster's caches, and the
     * caches whose state decides the cluster's. Otherwise read on demand (the doctor's inventory).
     */
    readonly inFacts: boolean;
    /**
     * The cluster's facts stand without it: an unreadable cache of it (403) does not make the cluster unavailable
     * nor a lint's facts incomplete; the analysis predicts from the other kinds (VolumeSnapshotContent).
     */
    readonly optional?: boolean;
    /** One per cluster (CDIConfig, CDI): the first that reads wins; the cluster prefers the object of this name. */
    readonly singleton?: { readonly preferredName?: string };
  };
  /** Where the kind holds Kubernetes quantities (sizes), for validation and hovers; may depend on the version. */
  readonly quantities?: readonly FieldPattern[] | ((version: string) => readonly FieldPattern[]);
}

/**
 * The custom protocol between the KubeVirt Storage language server and its clients.
 * This is the only file of server/ the client may import, so it imports nothing: plain names and types.
 */

/** Server health as shown in the client's status bar. */
export type ServerState = 'ok' | 'degraded';

/** Params of the `kubevirtStorage/status` notification (server → client). Sent when the state or message changes. */
export interface StatusParams {
  state: ServerState;
  /** One line for humans: what is wrong when degraded, else a short summary. */
  message: string;
  /** YAML files in the index (open documents and workspace files), once the workspace scan has finished. */
  indexedFiles?: number;
  /** The live cluster's state (absent until the server has read the cluster settings). */
  cluster?: ClusterStatus;
}

/** Method name of the status notification. */
export const statusNotification = 'kubevirtStorage/status';

/** The configuration section the server reads (`workspace/configuration`, initializationOptions, didChangeConfiguration). */
export const configurationSection = 'kubevirtStorage';

/**
 * Shape of the `kubevirtStorage` configuration section as VS Code sends it (nested objects). Clients that send
 * dotted keys (`{"cdi.version": "1.63.0"}`) are accepted too.
 */
export interface KubevirtStorageConfiguration {
  cdi?: { version?: string; defaultFilesystemOverhead?: string };
  restore?: { strictProvisioners?: string[] };
  trace?: { server?: 'off' | 'messages' | 'verbose' };
  cluster?: { enabled?: boolean; kubeconfig?: string; context?: string; namespace?: string };
}

/** The live cluster as the server sees it (a field of the status notification). */
export interface ClusterStatus {
  /**
   * `off`: disabled by `kubevirtStorage.cluster.enabled`; `none`: no kubeconfig found (nothing to connect to);
   * `connecting`: the first list is in flight; `connected`: live facts are in use; `unavailable`: the cluster
   * cannot be reached or read (workspace-only analysis; `message` says why).
   */
  state: 'off' | 'none' | 'connecting' | 'connected' | 'unavailable';
  /** The kubeconfig context, when one was chosen. */
  context?: string;
  /** The namespace of manifests that name none, and where watches fall back to when not allowed cluster-wide. */
  namespace?: string;
  /** One line for humans. */
  message: string;
}

/** A kubeconfig context as `kubectl config get-contexts` lists it. */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
}

/** Request `kubevirtStorage/listContexts` (client → server): the contexts of the configured kubeconfig. */
export const listContextsRequest = 'kubevirtStorage/listContexts';

export type ListContextsResult =
  | {
      ok: true;
      /** kubeconfig's current-context. */
      current?: string;
      /** The context the server uses now (the setting, a `useContext`, else `current`). */
      active?: string;
      contexts: KubeContextInfo[];
      /** The kubeconfig files read. */
      sources: string[];
    }
  | { ok: false; message: string };

/**
 * Request `kubevirtStorage/useContext` (client → server): switch the live cluster to `context` now, and answer
 * once the first connection attempt has settled (bounded). The client also writes
 * `kubevirtStorage.cluster.context`, so the choice outlives the session; a later change of that setting wins.
 */
export const useContextRequest = 'kubevirtStorage/useContext';

export interface UseContextParams {
  context: string;
  /** Optional namespace (else the setting, else the context's). */
  namespace?: string;
}

/** What `useContext` answers: the cluster status after the first attempt. */
export type UseContextResult = ClusterStatus;

/*
 * The storage explorer (server/explorer.ts ↔ client/explorer.ts). The server owns the tree: the client asks for
 * the children of a node, page by page, and refreshes when told that a part of the tree changed.
 */

/**
 * A node's id: a stable string, unique in the tree, made of Kubernetes names (which contain no `/`), e.g.
 * `volumeSnapshots/vms/disk-snap`. The same object keeps the same id across refreshes and reconnects.
 */
export type ExplorerNodeId = string;

/** What a node shows. `state` is a single informative node (unreachable, a group not served, ...). */
export type ExplorerNodeKind =
  | 'state'
  | 'context'
  | 'storageClasses'
  | 'storageClass'
  | 'claimPropertySet'
  | 'volumeSnapshots'
  | 'snapshotNamespace'
  | 'volumeSnapshot'
  | 'persistentVolumeClaims'
  | 'pvcNamespace'
  | 'persistentVolumeClaim'
  | 'vmSnapshotsAtRisk'
  | 'vmSnapshot'
  | 'vmSnapshotVolume'
  | 'restoreSizeWebhook'
  | 'more';

/** An API object, as the `kubevirtStorage/explorer/object` request names it. */
export interface ExplorerObjectRef {
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** One tree node, ready to render. */
export interface ExplorerNode {
  id: ExplorerNodeId;
  kind: ExplorerNodeKind;
  label: string;
  description?: string;
  /** Plain text. */
  tooltip?: string;
  /** Whether the node has children (fetched lazily, when expanded). */
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** A codicon name, e.g. `database`. */
  icon?: string;
  /** Marks a problem (an at-risk PVC or VM snapshot, an unreachable cluster) or a good state ('ok'). */
  severity?: 'error' | 'warning' | 'info' | 'ok';
  /** The API object behind the node (it can be opened as YAML). */
  object?: ExplorerObjectRef;
  /** VolumeSnapshots: `status.restoreSize` as Kubernetes prints it, once known. */
  restoreSize?: string;
  /** `more` nodes: the offset of the next page of `parent`'s children. */
  more?: { parent?: ExplorerNodeId; offset: number };
}

/** Why the tree has nothing to show, or what it shows (answered with the root's children). */
export type ExplorerState =
  | { kind: 'no-cluster'; message: string }
  | { kind: 'no-kubeconfig'; message: string }
  | { kind: 'connecting'; message: string; context?: string }
  | { kind: 'unavailable'; message: string; context?: string }
  | { kind: 'connected'; message: string; context: string };

/** Params of `kubevirtStorage/explorer/children`: the root when `parent` is absent; `offset` pages (default 0). */
export interface ExplorerChildrenParams {
  parent?: ExplorerNodeId;
  offset?: number;
}

/** At most `explorerPageSize` nodes, then a `more` node when more follow. Root answers carry `state`. */
export interface ExplorerChildrenResult {
  nodes: ExplorerNode[];
  state?: ExplorerState;
}

/** Children per page, the `more` node aside. */
export const explorerPageSize = 500;

/** Request `kubevirtStorage/explorer/children`. */
export const explorerChildrenRequest = 'kubevirtStorage/explorer/children';

/** Request `kubevirtStorage/explorer/object`: the object from the cache as YAML (managedFields left out). */
export const explorerObjectRequest = 'kubevirtStorage/explorer/object';

export type ExplorerObjectParams = ExplorerObjectRef;

/** The YAML of the object, or why there is none (not in the cache, not served, no cluster). */
export type ExplorerObjectResult = { ok: true; yaml: string } | { ok: false; message: string };

/** Request `kubevirtStorage/explorer/restorePvc`: a new PVC restoring a VolumeSnapshot (core/restorePvcManifest.ts). */
export const explorerRestorePvcRequest = 'kubevirtStorage/explorer/restorePvc';

export interface ExplorerRestorePvcParams {
  namespace: string;
  name: string;
}

export type ExplorerRestorePvcResult = { ok: true; yaml: string } | { ok: false; message: string };

/**
 * Notification `kubevirtStorage/explorer/changed` (server → client), debounced: the children of `parent` (the
 * whole tree when absent) may have changed.
 */
export const explorerChangedNotification = 'kubevirtStorage/explorer/changed';

export interface ExplorerChangedParams {
  parent?: ExplorerNodeId;
}

// ---- The restore-size admission webhook (issue 5). The server plans, dry-runs, applies, verifies and removes;
// the client previews, confirms and shows progress. A plan is kept by id so that apply applies exactly what
// the user previewed.

export type WebhookTlsMode = 'openshift-service-ca' | 'cert-manager' | 'self-signed';

/** Request `kubevirtStorage/webhook/plan`: detect the platform and CDI version, build the manifests. */
export const webhookPlanRequest = 'kubevirtStorage/webhook/plan';

export interface WebhookPlanParams {
  /** Default: the setting kubevirtStorage.webhook.namespace, else the platform's CDI namespace guess. */
  namespace?: string;
  /** Default: the setting kubevirtStorage.webhook.image. */
  image?: string;
  replicas?: number;
  /** Default: detected (service-ca on OpenShift, cert-manager when served, else self-signed). */
  tlsMode?: WebhookTlsMode;
}

export interface WebhookPlan {
  planId: string;
  namespace: string;
  image: string;
  tlsMode: WebhookTlsMode;
  /** What detection found, for the preview's header. */
  platform: { openshiftServiceCa: boolean; certManager: boolean };
  /** The CDI version seen and whether it still inflates snapshot restores (< v1.64). */
  cdi: { version?: string; inflatesSnapshotRestores: boolean; note: string };
  /** The exact manifests, as a multi-document YAML for the preview editor (secrets' key material redacted). */
  yaml: string;
  objects: { apiVersion: string; kind: string; namespace?: string; name: string }[];
}

export type WebhookPlanResult = { ok: true; plan: WebhookPlan } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/dryRun`: server-side dry-run of a plan (`dryRun=All`, server-side apply). */
export const webhookDryRunRequest = 'kubevirtStorage/webhook/dryRun';

export interface WebhookPlanRef {
  planId: string;
}

export interface WebhookObjectOutcome {
  kind: string;
  namespace?: string;
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'delete';
}

export type WebhookDryRunResult = { ok: true; outcomes: WebhookObjectOutcome[] } | { ok: false; message: string };

/**
 * Request `kubevirtStorage/webhook/apply`: server-side apply under one field manager, wait for the rollout, then
 * verify with a dry-run create of a labelled restore PVC that the webhook patches it. Cancellable; progress
 * arrives as `kubevirtStorage/webhook/progress` notifications.
 */
export const webhookApplyRequest = 'kubevirtStorage/webhook/apply';

export type WebhookApplyResult =
  | { ok: true; outcomes: WebhookObjectOutcome[]; verified: boolean; verification: string }
  | { ok: false; message: string; outcomes?: WebhookObjectOutcome[] };

export const webhookProgressNotification = 'kubevirtStorage/webhook/progress';

export interface WebhookProgressParams {
  planId: string;
  step: 'dry-run' | 'apply' | 'rollout' | 'verify' | 'uninstall' | 'rotate';
  message: string;
}

/** Request `kubevirtStorage/webhook/status`. */
export const webhookStatusRequest = 'kubevirtStorage/webhook/status';

export interface WebhookStatus {
  deployed: boolean;
  namespace?: string;
  image?: string;
  replicas?: { desired: number; ready: number };
  certificate?: { notAfter: string; daysLeft: number; source: string };
  configuration?: { name: string; present: boolean; ordersAfterCdi: boolean; cdiConfigurationPresent: boolean };
  /** Plain-language summary for a notification or the explorer. */
  summary: string;
}

export type WebhookStatusResult = { ok: true; status: WebhookStatus } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/uninstall`: removes exactly the objects the deploy created (by label). */
export const webhookUninstallRequest = 'kubevirtStorage/webhook/uninstall';

export interface WebhookUninstallParams {
  dryRun?: boolean;
}

export type WebhookUninstallResult = { ok: true; outcomes: WebhookObjectOutcome[] } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/rotate`: new self-signed serving certificate (and caBundle); self-signed mode only. */
export const webhookRotateRequest = 'kubevirtStorage/webhook/rotate';

export type WebhookRotateResult = { ok: true; notAfter: string } | { ok: false; message: string };

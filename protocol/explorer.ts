/**
 * The storage explorer (server/explorer.ts ↔ client/explorer.ts). The server owns the tree: the client asks for
 * the children of a node, page by page, and refreshes when told that a part of the tree changed.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/**
 * A node's id: a stable string, unique in the tree, made of Kubernetes names (which contain no `/`), e.g.
 * `volumeSnapshots/vms/disk-snap`. The same object keeps the same id across refreshes and reconnects.
 */
export type ExplorerNodeId = string;

/** The URI scheme of the read-only documents of live objects (served by the client through `explorer/object`). */
export const objectScheme = 'kubevirt-storage';

/** `/<Kind>/<namespace>/<name>.yaml` (each part encoded): a readable tab title. */
export function objectDocumentPath(ref: ExplorerObjectRef): string {
  return `/${[ref.kind, ...(ref.namespace ? [ref.namespace] : []), `${ref.name}.yaml`].map(encodeURIComponent).join('/')}`;
}

/**
 * `kubevirt-storage:/<Kind>/<namespace>/<name>.yaml?<the reference as JSON>`: what go-to-definition answers for an
 * object that exists only in the cluster; the query is the exact reference the client asks `explorer/object` for.
 */
export function objectDocumentUri(ref: ExplorerObjectRef): string {
  return `${objectScheme}:${objectDocumentPath(ref)}?${encodeURIComponent(JSON.stringify(ref))}`;
}

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
  | 'virtualMachines'
  | 'vmNamespace'
  | 'virtualMachine'
  | 'vmDisk'
  | 'dataVolumes'
  | 'dvNamespace'
  | 'dataVolume'
  | 'restoreSizeWebhook'
  | 'volumeResizes'
  | 'volumeResize'
  | 'volumeResizeCell'
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
  /** Words for the context menus besides the kind (`failed`): menus match `viewItem =~ /;failed;/`. */
  tags?: string[];
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
export const explorerChildrenRequest = new RequestType<ExplorerChildrenParams, ExplorerChildrenResult, void>('kubevirtStorage/explorer/children');

export type ExplorerObjectParams = ExplorerObjectRef;

/** The YAML of the object, or why there is none (not in the cache, not served, no cluster). */
export type ExplorerObjectResult = { ok: true; yaml: string } | { ok: false; message: string };

/** Request `kubevirtStorage/explorer/object`: the object from the cache as YAML (managedFields left out). */
export const explorerObjectRequest = new RequestType<ExplorerObjectParams, ExplorerObjectResult, void>('kubevirtStorage/explorer/object');

export interface ExplorerRestorePvcParams {
  namespace: string;
  name: string;
}

export type ExplorerRestorePvcResult = { ok: true; yaml: string } | { ok: false; message: string };

/** Request `kubevirtStorage/explorer/restorePvc`: a new PVC restoring a VolumeSnapshot (core/restorePvcManifest.ts). */
export const explorerRestorePvcRequest = new RequestType<ExplorerRestorePvcParams, ExplorerRestorePvcResult, void>('kubevirtStorage/explorer/restorePvc');

export interface ExplorerChangedParams {
  parent?: ExplorerNodeId;
}

/**
 * Notification `kubevirtStorage/explorer/changed` (server → client), debounced: the children of `parent` (the
 * whole tree when absent) may have changed.
 */
export const explorerChangedNotification = new NotificationType<ExplorerChangedParams>('kubevirtStorage/explorer/changed');

/**
 * The storage explorer's requests: children of a tree node (paged), an object as YAML, a new restore PVC for a
 * VolumeSnapshot; and the debounced `changed` notification when the caches change. The tree lives in
 * explorerTree.ts, the reading of the caches in explorerModel.ts.
 */
import type { Connection } from 'vscode-languageserver/node';
import { stringify } from 'yaml';
import type { KubeObject } from '../cluster/paths.js';
import { factCaches } from '../cluster/clusterFacts.js';
import type { StorageCacheName } from '../cluster/storageCaches.js';
import { kindOf } from '../core/kinds/index.js';
import { pvcSpecFromObject, restorePvcManifest } from '../core/restorePvcManifest.js';
import type { ServerContext } from './context.js';
import { ExplorerModel, type ExplorerChange } from './explorerModel.js';
import { folderIds, stateNode } from './explorerNodes.js';
import { childrenOf, rootChildren } from './explorerTree.js';
import {
  explorerChangedNotification,
  explorerChildrenRequest,
  explorerObjectRequest,
  explorerRestorePvcRequest,
  type ExplorerChangedParams,
  type ExplorerChildrenParams,
  type ExplorerChildrenResult,
  type ExplorerNodeId,
  type ExplorerObjectParams,
  type ExplorerObjectResult,
  type ExplorerRestorePvcParams,
  type ExplorerRestorePvcResult,
} from '../protocol/explorer.js';

/** Quiet period before `changed` is sent, and the longest a stream of changes may hold it back. */
export const explorerDebounceMs = 200;
const maxWaitMs = 1000;

/** Where a change of each cache shows in the tree: undefined for the whole tree; caches not shown are absent. */
const changedParent = new Map<ExplorerChange, ExplorerNodeId | undefined>([
  ['persistentVolumeClaims', folderIds.persistentVolumeClaims],
  // A migration's phase shows in its folder's description (a child of the context) and in its own node.
  ['volumeResizes', folderIds.context],
  // The context's children count them: refresh from there.
  ['virtualMachines', folderIds.context],
  ['dataVolumes', folderIds.context],
  // The restore-size webhook's status: its node is a child of the context.
  ['webhook', folderIds.context],
  // Facts: they change PVC risks and VM snapshot predictions as well as their own folders.
  ...factCaches.map((name): [ExplorerChange, undefined] => [name, undefined]),
]);

/** Collects changed parents and sends one `changed` per quiet period (the root when several parts changed). */
class ChangeNotifier {
  private pending: { parent: ExplorerNodeId | undefined } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private first = 0;

  constructor(private readonly connection: Connection) {}

  changed(parent: ExplorerNodeId | undefined): void {
    const now = Date.now();
    if (!this.pending) {
      this.pending = { parent };
      this.first = now;
    } else if (this.pending.parent !== parent) {
      this.pending = { parent: undefined };
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), Math.min(explorerDebounceMs, Math.max(0, this.first + maxWaitMs - now)));
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    const params: ExplorerChangedParams = pending.parent === undefined ? {} : { parent: pending.parent };
    void this.connection.sendNotification(explorerChangedNotification, params);
  }
}

/** The object as `kubectl get -o yaml` shows it, without managedFields (and what slim.ts drops). */
export function objectYaml(o: KubeObject, apiVersion: string, kind: string): string {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
  const { managedFields: _m, ...meta } = metadata ?? {};
  return stringify({ apiVersion, kind, metadata: meta, ...rest }, { lineWidth: 0 });
}

function cacheFor(apiVersion: string, kind: string): StorageCacheName | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return kindOf(group, kind)?.watch as StorageCacheName | undefined;
}

/** Registers the explorer's requests on the connection and follows the live cluster for `changed`. */
export function registerExplorer(context: ServerContext): void {
  const { connection, health } = context;
  const notifier = new ChangeNotifier(connection);
  let model: ExplorerModel | undefined;

  /** The model of the current cluster's caches (a new one after a reconnect or a switch). */
  const current = (): ExplorerModel | undefined => {
    const live = context.cluster();
    const caches = live?.caches;
    if (model && model.live === live && model.caches === caches) return model;
    model?.dispose();
    model = live && caches
      ? new ExplorerModel(live, caches, () => context.options().settings, (name) => {
          if (changedParent.has(name)) notifier.changed(changedParent.get(name));
        })
      : undefined;
    return model;
  };

  const guarded = <P, R>(what: string, handler: (params: P) => R, failed: (message: string) => R) => (params: P): R => {
    try {
      const result = handler(params);
      health.problem('explorer', undefined);
      return result;
    } catch (error) {
      health.failed('explorer', what, error);
      return failed(error instanceof Error ? error.message : String(error));
    }
  };

  context.onClusterChange(() => {
    current();
    notifier.changed(undefined);
  });

  connection.onRequest(
    explorerChildrenRequest,
    guarded<ExplorerChildrenParams, ExplorerChildrenResult>(
      'The explorer',
      ({ parent, offset }) => {
        const m = current();
        if (parent === undefined) {
          const state = context.options().cluster?.state;
          return rootChildren(context.cluster(), m, state?.kind === 'unavailable' ? state.reason : undefined);
        }
        return { nodes: (m && childrenOf(m, parent, Math.max(0, Math.floor(offset ?? 0)))) ?? [] };
      },
      (message) => ({ nodes: [stateNode('!error', 'The explorer failed', `${message} (see the log)`, 'error', 'error')] }),
    ),
  );

  connection.onRequest(
    explorerObjectRequest,
    guarded<ExplorerObjectParams, ExplorerObjectResult>(
      'Opening an object',
      ({ apiVersion, kind, namespace, name }) => {
        const what = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
        const cacheName = cacheFor(apiVersion, kind);
        if (!cacheName) return { ok: false, message: `${kind} (${apiVersion}) is not among the resources the explorer watches` };
        const cache = current()?.cache(cacheName);
        if (!cache) return { ok: false, message: `${what}: the cluster does not serve ${kind}, or no cluster is connected` };
        const o = cache.get(namespace, name);
        if (!o) return { ok: false, message: `${what} is not in the cluster (any more)` };
        const served = cache.resource.group ? `${cache.resource.group}/${cache.resource.version}` : cache.resource.version;
        return { ok: true, yaml: objectYaml(o, served, kind) };
      },
      (message) => ({ ok: false, message }),
    ),
  );

  connection.onRequest(
    explorerRestorePvcRequest,
    guarded<ExplorerRestorePvcParams, ExplorerRestorePvcResult>(
      'Building a restore PVC',
      ({ namespace, name }) => {
        const m = current();
        const snapshot = m?.facts.volumeSnapshot(namespace, name);
        if (!m || !snapshot) return { ok: false, message: `VolumeSnapshot ${namespace}/${name} is not in the cluster (any more)` };
        const sourceObject = snapshot.sourcePvcName ? m.cache('persistentVolumeClaims')?.get(namespace, snapshot.sourcePvcName) : undefined;
        const spec = sourceObject && pvcSpecFromObject(sourceObject);
        const source = spec && { name: snapshot.sourcePvcName!, storageClassName: spec.storageClassName, accessModes: spec.accessModes, volumeMode: spec.volumeMode };
        const r = restorePvcManifest(snapshot, source);
        return r.ok ? { ok: true, yaml: r.yaml } : { ok: false, message: r.reason };
      },
      (message) => ({ ok: false, message }),
    ),
  );

}

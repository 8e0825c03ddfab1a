/**
 * The explorer's tree: the children of a node id, one page at a time. The root is the context (or one node
 * saying why there is none); under it Storage Classes, Volume Snapshots and PVCs per namespace, the Virtual
 * Machines (with their disks) and Data Volumes per namespace, and the VM snapshots at risk. Only the requested page is turned into nodes, so a level of 10,000 objects costs one sort.
 */
import type { LiveCluster } from '../cluster/live.js';
import type { StorageCacheName } from '../cluster/storageCaches.js';
import { factFromObject, kinds } from '../core/kinds/index.js';
import type { ExplorerModel } from './explorerModel.js';
import { cellNode, folderDescription, volumeResizeNode, volumeResizesFolderId } from './explorerResize.js';
import {
  childId,
  claimPropertySetNodes,
  folderIds,
  folderNode,
  moreNode,
  namespaceNode,
  pvcNode,
  snapshotNode,
  stateNode,
  storageClassNode,
  vmSnapshotNode,
  vmVolumeNode,
} from './explorerNodes.js';
import { workloadChildren, workloadFolderIds } from './explorerWorkloads.js';
import {
  explorerPageSize,
  type ExplorerChildrenResult,
  type ExplorerNode,
  type ExplorerNodeId,
  type ExplorerState,
} from '../protocol/explorer.js';

/** The cache (and so the API group) of a kind's folder, to say "not served" instead of "empty". */
function folder(kind: 'StorageClass' | 'VolumeSnapshot' | 'PersistentVolumeClaim' | 'VirtualMachineSnapshot' | 'VirtualMachine' | 'DataVolume' | 'VolumeResize', what: string): { cache: StorageCacheName; group: string; what: string } {
  const d = kinds[kind];
  return { cache: d.watch, group: d.group || `core/${d.version}`, what };
}

/** Which API group a folder needs, to say "not served" instead of "empty". */
const folderGroups = new Map<string, { cache: StorageCacheName; group: string; what: string }>([
  [folderIds.storageClasses, folder('StorageClass', 'StorageClasses')],
  [folderIds.volumeSnapshots, folder('VolumeSnapshot', 'VolumeSnapshots (the external-snapshotter CRDs are not installed)')],
  [folderIds.persistentVolumeClaims, folder('PersistentVolumeClaim', 'PersistentVolumeClaims')],
  [folderIds.vmSnapshotsAtRisk, folder('VirtualMachineSnapshot', 'KubeVirt VM snapshots (KubeVirt is not installed)')],
  [volumeResizesFolderId, folder('VolumeResize', 'VolumeResizes (the migcontroller operator is not installed)')],
  [workloadFolderIds.virtualMachines, folder('VirtualMachine', 'KubeVirt VirtualMachines (KubeVirt is not installed)')],
  [workloadFolderIds.dataVolumes, folder('DataVolume', 'CDI DataVolumes (CDI is not installed)')],
]);

const noKubeconfig = /^no kubeconfig\b|^kubeconfig .* does not exist|^none of the KUBECONFIG files exist|has no current-context/;

/** What the root says when the cluster is not (yet) readable. */
export function explorerState(live: LiveCluster | undefined, fallback: string | undefined): ExplorerState {
  if (!live) return { kind: 'no-cluster', message: fallback ?? 'No cluster is connected.' };
  const state = live.facts.state;
  const context = live.connection?.context;
  if (state.kind === 'connected') return { kind: 'connected', message: `Connected to context ${state.context}`, context: state.context };
  const reason = state.kind === 'unavailable' ? state.reason : 'not connected';
  if (!live.connection && noKubeconfig.test(reason)) return { kind: 'no-kubeconfig', message: reason };
  if (/^(connecting|syncing) /.test(reason)) return { kind: 'connecting', message: reason, ...(context ? { context } : {}) };
  return { kind: 'unavailable', message: reason, ...(context ? { context } : {}) };
}

/** One page of `items` as nodes, then a `more` node when items remain. */
function page<T>(parent: ExplorerNodeId, items: readonly T[], offset: number, build: (item: T) => ExplorerNode | undefined): ExplorerNode[] {
  const end = Math.min(items.length, offset + explorerPageSize);
  const nodes: ExplorerNode[] = [];
  for (let i = offset; i < end; i++) {
    const node = build(items[i]!);
    if (node) nodes.push(node);
  }
  if (end < items.length) nodes.push(moreNode(parent, end, items.length));
  return nodes;
}

/** The root: the context node, or a single node (or none, for the welcome view) saying why there is none. */
export function rootChildren(live: LiveCluster | undefined, model: ExplorerModel | undefined, fallback: string | undefined): ExplorerChildrenResult {
  const state = explorerState(live, fallback);
  if (state.kind === 'no-cluster' || state.kind === 'no-kubeconfig') return { nodes: [], state };
  if (!model || !live?.connection) {
    const connecting = state.kind === 'connecting';
    const label = connecting ? 'Connecting…' : /cannot reach|no answer within/.test(state.message) ? 'Cluster unreachable' : 'Cluster unavailable';
    const node = stateNode('state', label, state.message, connecting ? undefined : 'error', connecting ? 'sync' : 'error');
    return { nodes: [{ ...node, description: state.message }], state };
  }
  const conn = live.connection;
  const context: ExplorerNode = {
    id: folderIds.context,
    kind: 'context',
    label: conn.context,
    description: state.kind === 'connected' ? conn.server : `${conn.server} · ${state.message}`,
    tooltip: [`Context ${conn.context}`, `server: ${conn.server}`, ...(conn.user ? [`user: ${conn.user}`] : []), `namespace: ${conn.namespace}`, `kubeconfig: ${conn.sources.join(', ')}`, state.message].join('\n'),
    icon: 'server-environment',
    collapsible: 'expanded',
    ...(state.kind === 'connected' ? {} : { severity: 'warning' as const }),
  };
  return { nodes: [context], state };
}

/** "12 in 3 namespaces", or nothing while the cache is not readable. */
function countIn(model: ExplorerModel, name: 'virtualMachines' | 'dataVolumes'): string | undefined {
  if (model.cache(name)?.state !== 'synced') return undefined;
  const namespaces = model.namespaces(name);
  const count = namespaces.reduce((n, s) => n + s.count, 0);
  return `${count.toLocaleString('en-US')} in ${namespaces.length} namespace${namespaces.length === 1 ? '' : 's'}`;
}
const vmCount = (model: ExplorerModel) => countIn(model, 'virtualMachines');
const dvCount = (model: ExplorerModel) => countIn(model, 'dataVolumes');

function contextChildren(model: ExplorerModel): ExplorerNode[] {
  const snapshots = model.namespaces('volumeSnapshots');
  const count = snapshots.reduce((n, s) => n + s.count, 0);
  return [
    folderNode(folderIds.storageClasses, 'storageClasses', 'Storage Classes', 'database', `${model.sorted('storageClasses').length}`),
    folderNode(folderIds.volumeSnapshots, 'volumeSnapshots', 'Volume Snapshots', 'device-camera', `${count.toLocaleString('en-US')} in ${snapshots.length} namespace${snapshots.length === 1 ? '' : 's'}`),
    folderNode(folderIds.persistentVolumeClaims, 'persistentVolumeClaims', 'Persistent Volume Claims', 'server', 'per namespace, at-risk restores marked'),
    folderNode(workloadFolderIds.virtualMachines, 'virtualMachines', 'Virtual Machines', 'vm', vmCount(model), 'KubeVirt VirtualMachines per namespace, with their disks and the sizes they ask for.'),
    folderNode(workloadFolderIds.dataVolumes, 'dataVolumes', 'Data Volumes', 'database', dvCount(model), 'CDI DataVolumes per namespace: size, phase and source.'),
    folderNode(folderIds.vmSnapshotsAtRisk, 'vmSnapshotsAtRisk', 'VM Snapshots at Risk', 'warning', 'restores predicted to exceed restoreSize', 'VirtualMachineSnapshots whose restore PVCs (KubeVirt, then CDI) will ask for more than their VolumeSnapshots hold.'),
    folderNode(volumeResizesFolderId, 'volumeResizes', 'VolumeResize Migrations', 'arrow-swap', model.cache('volumeResizes') ? folderDescription(model.volumeResizes()) : 'operator not installed', 'migcontroller VolumeResizes: each replica × volume as it moves, followed through a watch.'),
    model.webhook.node(),
  ];
}

/** A single node when the folder's resource is not served, not yet listed, or failing; undefined when readable. */
function folderState(model: ExplorerModel, folder: ExplorerNodeId): ExplorerNode | undefined {
  const spec = folderGroups.get(folder);
  if (!spec) return undefined;
  const cache = model.cache(spec.cache);
  const id = childId(folder, '!state');
  if (!cache) return stateNode(id, `${spec.group} is not served`, `This cluster does not serve ${spec.what}.`, 'info', 'circle-slash');
  if (cache.state === 'syncing') return stateNode(id, 'Loading…', `Listing ${spec.what}`, undefined, 'sync');
  if (cache.state === 'unavailable') return stateNode(id, 'Unavailable', cache.error?.message ?? `${spec.what} cannot be listed`, 'error', 'error');
  return undefined;
}

/** The children of `parent` from `offset`; undefined when no such node exists (any more). */
export function childrenOf(model: ExplorerModel, parent: ExplorerNodeId, offset: number): ExplorerNode[] | undefined {
  if (parent === folderIds.context) return contextChildren(model);
  const [folder, ...rest] = parent.split('/');
  if (!folder || !folderGroups.has(folder)) return undefined;
  const state = folderState(model, folder);
  if (state) {
    // A cache that failed after listing keeps its objects: say so above them rather than hiding them.
    const cache = model.cache(folderGroups.get(folder)!.cache);
    const kept = cache?.state === 'unavailable' && cache.size > 0;
    if (!kept) return rest.length === 0 ? [state] : [];
    if (rest.length === 0 && offset === 0) return [state, ...(folderChildren(model, folder, rest, offset) ?? [])];
  }
  return folderChildren(model, folder, rest, offset);
}

function folderChildren(model: ExplorerModel, folder: string, rest: string[], offset: number): ExplorerNode[] | undefined {
  const parent = childId(folder, ...rest);
  switch (folder) {
    case folderIds.storageClasses: {
      const classes = model.cache('storageClasses')!;
      const profiles = model.cache('storageProfiles');
      const profileOf = (name: string) => factFromObject('StorageProfile', profiles?.get(undefined, name), { kind: 'cluster' });
      if (rest.length === 0) {
        return page(parent, model.sorted('storageClasses'), offset, (o) => {
          const sc = factFromObject('StorageClass', o, { kind: 'cluster' });
          return sc && storageClassNode(sc, profileOf(sc.name), classes.resource);
        });
      }
      const profile = rest.length === 1 ? profileOf(rest[0]!) : undefined;
      return profile && claimPropertySetNodes(rest[0]!, profile, profiles?.resource);
    }
    case folderIds.volumeSnapshots: {
      const cache = model.cache('volumeSnapshots')!;
      if (rest.length === 0) {
        return page(parent, model.namespaces('volumeSnapshots'), offset, ({ namespace, count }) => {
          const notReady = model.sorted('volumeSnapshots', namespace).filter((o) => (o.status as { readyToUse?: unknown } | undefined)?.readyToUse !== true).length;
          const description = `${count.toLocaleString('en-US')} snapshot${count === 1 ? '' : 's'}${notReady ? ` · ${notReady} not ready` : ''}`;
          return namespaceNode(parent, 'snapshotNamespace', namespace, description);
        });
      }
      return rest.length === 1 ? page(parent, model.sorted('volumeSnapshots', rest[0]), offset, (o) => snapshotNode(o, cache.resource)) : undefined;
    }
    case folderIds.persistentVolumeClaims: {
      const cache = model.cache('persistentVolumeClaims')!;
      if (rest.length === 0) {
        return page(parent, model.namespaces('persistentVolumeClaims'), offset, ({ namespace, count }) => {
          const { errors, warnings } = model.pvcRisks(namespace);
          const risky = errors + warnings;
          const description = `${count.toLocaleString('en-US')} PVC${count === 1 ? '' : 's'}${risky ? ` · ${risky} at risk` : ''}`;
          return namespaceNode(parent, 'pvcNamespace', namespace, description, errors ? 'error' : warnings ? 'warning' : undefined);
        });
      }
      return rest.length === 1 ? page(parent, model.pvcs(rest[0]!), offset, (p) => pvcNode(p, cache.resource)) : undefined;
    }
    case folderIds.vmSnapshotsAtRisk: {
      const cache = model.cache('virtualMachineSnapshots')!;
      const atRisk = model.vmSnapshotsAtRisk();
      if (rest.length === 0) {
        if (atRisk.length === 0) return [stateNode(childId(parent, '!none'), 'None at risk', 'No VirtualMachineSnapshot restore is predicted to exceed its VolumeSnapshots\' restoreSize.', 'ok', 'pass')];
        return page(parent, atRisk, offset, (r) => vmSnapshotNode(r, cache.resource));
      }
      const [namespace, name] = rest;
      const found = rest.length === 2 ? atRisk.find((r) => r.snapshot.namespace === namespace && r.snapshot.name === name) : undefined;
      const snapshots = model.cache('volumeSnapshots')?.resource;
      return found && found.volumes.map((v) => vmVolumeNode(parent, found.snapshot.namespace, v, snapshots));
    }
    case volumeResizesFolderId: {
      const cache = model.cache('volumeResizes')!;
      if (rest.length === 0) {
        const all = model.sorted('volumeResizes').sort((a, b) => (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? ''));
        if (all.length === 0) return [stateNode(childId(parent, '!none'), 'No migrations', 'No VolumeResize in the cluster. Start one with "KubeVirt Storage: Start VolumeResize Migration…".', undefined, 'info')];
        return page(parent, all, offset, (o) => volumeResizeNode(o, cache.resource));
      }
      const [namespace, name] = rest;
      if (rest.length !== 2) return undefined;
      const cells = model.resizeGrid(namespace!, name!);
      return cells?.map((c) => cellNode(parent, c));
    }
    case workloadFolderIds.virtualMachines:
    case workloadFolderIds.dataVolumes:
      return workloadChildren(model, folder, rest, page, offset);
    default:
      return undefined;
  }
}

/**
 * cluster/: the only importer of @kubernetes/client-node. Kubeconfig as kubectl loads it, a connection with
 * typed helpers, discovery, watch-backed caches, the storage caches the tools need (one per kind the registry
 * in core/kinds says to watch), the one opener (open.ts), and core's Facts over them. Expected failures are `Result` values (errors.ts); nothing here prompts or prints.
 */
export { Backoff, type BackoffOptions } from './backoff.js';
export { watchResource, type CacheEvent, type CacheState, type ResourceCache, type WatchOptions } from './cache.js';
export { CacheFacts, clusterFacts, type ClusterFacts, type ClusterFactsOptions, type ClusterState } from './clusterFacts.js';
export { connect, type ClusterConnection, type ConnectOptions, type ServerVersion } from './connection.js';
export { assumedDiscovery, discover, knownGroups, resourceFor, type Discovery, type GroupState, type KnownGroup, type ResourceSpec } from './discovery.js';
export { fail, ok, type ClusterError, type ClusterErrorKind, type Result } from './errors.js';
export { contextsOf, listContexts, loadKubeconfig, type ContextInfo, type ContextList, type KubeconfigOptions } from './kubeconfig.js';
export { listAll, type Listed, type ListOptions } from './list.js';
export { startLiveCluster, type LiveCluster, type LiveClusterOptions } from './live.js';
export { openCluster, type ClusterOpener, type OpenClusterOptions, type OpenedCluster } from './open.js';
export { collectionPath, describe, objectPath, resourceName, splitApiVersion, type ApiResource, type KubeObject, type ObjectMeta } from './paths.js';
export { slim } from './slim.js';
export { apiResource, describeCache, resourceSpec, startStorageCaches, storageCacheNames, storageResources, type StorageCacheName, type StorageCaches, type StorageCachesOptions } from './storageCaches.js';
export type { ApplyOptions, Removed, RemoveOptions } from './apply.js';

/**
 * Every resource kind the tools read or write, declared once. Recognising manifests (core/resources.ts), the
 * workspace's facts (core/workspaceFacts.ts), quantity fields, the cluster's caches and facts, discovery's
 * groups, the explorer and the doctor all derive from this table.
 *
 * To add a kind, add one entry here (the key is the kind): group, version, plural and scope make it recognised
 * in manifests and resolvable on a cluster; `watch` names a live cache for it; `fact` (a reader in readers.ts)
 * makes it a fact (collected from the workspace and the cluster; one that rules read by name also needs its
 * accessor on core/facts.ts `Facts`); `quantities` lists its size fields. A new group not served by every cluster
 * becomes one of discovery's known groups by itself. The order of watched kinds is the order their caches start.
 */
import type { FieldPattern, KindDescriptor } from './descriptor.js';
import {
  claimObjectReader,
  readCdiConfig,
  readDataSource,
  readCdiVersion,
  readPersistentVolume,
  readPodDisruptionBudget,
  readStatefulSet,
  readPvcWebhook,
  readStorageClass,
  readStorageProfile,
  readVmSnapshot,
  readVmSnapshotContent,
  readVolumeSnapshot,
  readVolumeSnapshotClass,
  readVolumeSnapshotContent,
} from './readers.js';
import { ANNOTATION } from './wellKnown.js';
import { readKubevirtVersion } from '../kubevirt/version.js';

/** `resources.requests.storage` and `resources.limits.storage` under `prefix`. */
function claimSize(...prefix: string[]): FieldPattern[] {
  return [
    [...prefix, 'resources', 'requests', 'storage'],
    [...prefix, 'resources', 'limits', 'storage'],
  ];
}

const cdi = 'cdi.kubevirt.io';
const snapshots = 'snapshot.storage.k8s.io';
const kubevirtSnapshots = 'snapshot.kubevirt.io';

export const kinds = {
  VolumeSnapshot: {
    group: snapshots, version: 'v1', olderVersions: ['v1beta1'], kind: 'VolumeSnapshot', plural: 'volumesnapshots', scope: 'Namespaced',
    watch: 'volumeSnapshots', fact: { read: readVolumeSnapshot, inFacts: true }, quantities: [['status', 'restoreSize']],
  },
  VolumeSnapshotClass: {
    group: snapshots, version: 'v1', olderVersions: ['v1beta1'], kind: 'VolumeSnapshotClass', plural: 'volumesnapshotclasses', scope: 'Cluster',
    watch: 'volumeSnapshotClasses', fact: { read: readVolumeSnapshotClass, inFacts: true },
  },
  VolumeSnapshotContent: {
    group: snapshots, version: 'v1', olderVersions: ['v1beta1'], kind: 'VolumeSnapshotContent', plural: 'volumesnapshotcontents', scope: 'Cluster',
    // Cluster-scoped and often not listable by a namespace's users: an unreadable cache leaves the facts usable.
    watch: 'volumeSnapshotContents', fact: { read: readVolumeSnapshotContent, inFacts: true, optional: true },
  },
  StorageClass: {
    group: 'storage.k8s.io', version: 'v1', olderVersions: ['v1beta1'], kind: 'StorageClass', plural: 'storageclasses', scope: 'Cluster',
    watch: 'storageClasses', fact: { read: readStorageClass, inFacts: true },
  },
  StorageProfile: {
    group: cdi, version: 'v1beta1', kind: 'StorageProfile', plural: 'storageprofiles', scope: 'Cluster',
    watch: 'storageProfiles', fact: { read: readStorageProfile, inFacts: true }, quantities: [['metadata', 'annotations', ANNOTATION.minimumSupportedPvcSize]],
  },
  CDIConfig: {
    group: cdi, version: 'v1beta1', kind: 'CDIConfig', plural: 'cdiconfigs', scope: 'Cluster',
    watch: 'cdiConfigs', fact: { read: readCdiConfig, inFacts: true, singleton: { preferredName: 'config' } },
  },
  CDI: {
    group: cdi, version: 'v1beta1', kind: 'CDI', plural: 'cdis', scope: 'Cluster',
    watch: 'cdis', fact: { read: readCdiVersion, inFacts: true, singleton: {} },
  },
  PersistentVolumeClaim: {
    group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', scope: 'Namespaced',
    watch: 'persistentVolumeClaims', fact: { read: claimObjectReader('PersistentVolumeClaim'), inFacts: false }, quantities: claimSize('spec'),
  },
  StatefulSet: {
    group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', scope: 'Namespaced',
    watch: 'statefulSets', fact: { read: readStatefulSet, inFacts: true }, quantities: claimSize('spec', 'volumeClaimTemplates', '*', 'spec'),
  },
  VirtualMachine: {
    group: 'kubevirt.io', version: 'v1', olderVersions: ['v1alpha3'], kind: 'VirtualMachine', plural: 'virtualmachines', scope: 'Namespaced',
    watch: 'virtualMachines',
    quantities: [...claimSize('spec', 'dataVolumeTemplates', '*', 'spec', 'storage'), ...claimSize('spec', 'dataVolumeTemplates', '*', 'spec', 'pvc')],
  },
  // The KubeVirt CR: its status.observedKubeVirtVersion picks the restore model (core/kubevirt/releases.ts). Not
  // watched (users seldom may list it); a workspace file or the server's one read on connecting gives it.
  KubeVirt: {
    group: 'kubevirt.io', version: 'v1', kind: 'KubeVirt', plural: 'kubevirts', scope: 'Namespaced',
    fact: { read: readKubevirtVersion, inFacts: true, singleton: {} },
  },
  VirtualMachineSnapshot: {
    group: kubevirtSnapshots, version: 'v1beta1', fallbackVersions: ['v1alpha1'], kind: 'VirtualMachineSnapshot', plural: 'virtualmachinesnapshots', scope: 'Namespaced',
    watch: 'virtualMachineSnapshots', fact: { read: readVmSnapshot, inFacts: true },
  },
  VirtualMachineSnapshotContent: {
    group: kubevirtSnapshots, version: 'v1beta1', fallbackVersions: ['v1alpha1'], kind: 'VirtualMachineSnapshotContent', plural: 'virtualmachinesnapshotcontents', scope: 'Namespaced',
    watch: 'virtualMachineSnapshotContents', fact: { read: readVmSnapshotContent, inFacts: true },
  },
  VirtualMachineRestore: {
    group: kubevirtSnapshots, version: 'v1beta1', fallbackVersions: ['v1alpha1'], kind: 'VirtualMachineRestore', plural: 'virtualmachinerestores', scope: 'Namespaced',
    watch: 'virtualMachineRestores',
  },
  DataVolume: {
    group: cdi, version: 'v1beta1', olderVersions: ['v1alpha1'], kind: 'DataVolume', plural: 'datavolumes', scope: 'Namespaced',
    watch: 'dataVolumes', fact: { read: claimObjectReader('DataVolume'), inFacts: false },
    quantities: [...claimSize('spec', 'storage'), ...claimSize('spec', 'pvc')],
  },
  HyperConverged: {
    // HCO v1.18 added v1 (fields moved under workloadSources and storage); v1beta1 is still served.
    group: 'hco.kubevirt.io', version: 'v1', fallbackVersions: ['v1beta1'], kind: 'HyperConverged', plural: 'hyperconvergeds', scope: 'Namespaced',
    quantities: (version: string) =>
      claimSize(...(version === 'v1' ? ['spec', 'workloadSources'] : ['spec']), 'dataImportCronTemplates', '*', 'spec', 'template', 'spec', 'storage'),
  },
  VolumeResize: {
    group: 'storage.maurice.fr', version: 'v1alpha1', kind: 'VolumeResize', plural: 'volumeresizes', scope: 'Namespaced',
    // Watched for the explorer's migrations and the progress view; not a fact.
    watch: 'volumeResizes',
    quantities: [['spec', 'volumes', '*', 'newSize']],
  },
  // Read by coming features (golden images, VolumeResize, VolumeClaimTemplates, the webhook deploy): no fact yet.
  DataImportCron: { group: cdi, version: 'v1beta1', kind: 'DataImportCron', plural: 'dataimportcrons', scope: 'Namespaced' },
  DataSource: { group: cdi, version: 'v1beta1', kind: 'DataSource', plural: 'datasources', scope: 'Namespaced', fact: { read: readDataSource, inFacts: true } },
  // CDI's volume populator sources, named by a claim's dataSourceRef (VolumeClaimTemplates, Create PVC).
  VolumeCloneSource: {
    group: cdi, version: 'v1beta1', kind: 'VolumeCloneSource', plural: 'volumeclonesources', scope: 'Namespaced',
    watch: 'volumeCloneSources', fact: { read: claimObjectReader('VolumeCloneSource'), inFacts: false },
  },
  VolumeImportSource: {
    group: cdi, version: 'v1beta1', kind: 'VolumeImportSource', plural: 'volumeimportsources', scope: 'Namespaced',
    watch: 'volumeImportSources', fact: { read: claimObjectReader('VolumeImportSource'), inFacts: false },
  },
  VolumeUploadSource: {
    group: cdi, version: 'v1beta1', kind: 'VolumeUploadSource', plural: 'volumeuploadsources', scope: 'Namespaced',
    watch: 'volumeUploadSources', fact: { read: claimObjectReader('VolumeUploadSource'), inFacts: false },
  },
  // Read on demand (a VolumeResize's start and rollback): not watched.
  PersistentVolume: { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', scope: 'Cluster', fact: { read: readPersistentVolume, inFacts: false } },
  Pod: { group: '', version: 'v1', kind: 'Pod', plural: 'pods', scope: 'Namespaced' },
  Node: { group: '', version: 'v1', kind: 'Node', plural: 'nodes', scope: 'Cluster' },
  Namespace: { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', scope: 'Cluster' },
  ConfigMap: { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', scope: 'Namespaced' },
  ResourceQuota: { group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', scope: 'Namespaced' },
  Secret: { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', scope: 'Namespaced' },
  ServiceAccount: { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', scope: 'Namespaced' },
  Service: { group: '', version: 'v1', kind: 'Service', plural: 'services', scope: 'Namespaced' },
  Deployment: { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', scope: 'Namespaced' },
  PodDisruptionBudget: {
    group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', scope: 'Namespaced',
    watch: 'podDisruptionBudgets', fact: { read: readPodDisruptionBudget, inFacts: true },
  },
  NetworkPolicy: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', scope: 'Namespaced' },
  EndpointSlice: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', scope: 'Namespaced' },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', scope: 'Namespaced' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', scope: 'Namespaced' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', scope: 'Cluster' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', scope: 'Cluster' },
  MutatingWebhookConfiguration: {
    // Read on demand (one GET of CDI's `cdi-api-pvc-mutate`), not watched: many users may not list them.
    group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', scope: 'Cluster',
    fact: { read: readPvcWebhook, inFacts: false },
  },
  Issuer: { group: 'cert-manager.io', version: 'v1', kind: 'Issuer', plural: 'issuers', scope: 'Namespaced' },
  Certificate: { group: 'cert-manager.io', version: 'v1', kind: 'Certificate', plural: 'certificates', scope: 'Namespaced' },
} as const satisfies Record<string, KindDescriptor>;

/** Groups every conformant cluster serves: discovery takes them as served without asking. */
export const builtinGroups: ReadonlySet<string> = new Set(['', 'apps', 'policy', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'networking.k8s.io', 'discovery.k8s.io']);

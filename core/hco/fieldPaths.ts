/**
 * Where HyperConverged spec fields live per API version. HCO v1.18 introduced `hco.kubevirt.io/v1` (commit
 * 2e2b93189, "Introduce API v1", #4046), which groups the flat v1beta1 spec under `workloadSources`, `storage`,
 * `virtualization`, `networking`, `security` and `deployment`. Mirrors the conversion in api/v1beta1/conversion.go
 * at kubevirt/hyperconverged-cluster-operator 03da3cff: each v1beta1 spec key and where its value goes in v1.
 */

/** v1beta1 `spec.<key>` → its place below v1's `spec` (a note when the value is reshaped or split). */
export const V1BETA1_TO_V1: Readonly<Record<string, { path: string; note?: string }>> = {
  dataImportCronTemplates: { path: 'workloadSources.dataImportCronTemplates' },
  commonBootImageNamespace: { path: 'workloadSources.commonBootImageNamespace' },
  enableCommonBootImageImport: { path: 'workloadSources.enableCommonBootImageImport' },
  commonTemplatesNamespace: { path: 'workloadSources.commonTemplatesNamespace' },
  instancetypeConfig: { path: 'workloadSources.instancetypeConfig' },
  CommonInstancetypesDeployment: { path: 'workloadSources.commonInstancetypesDeployment' },
  filesystemOverhead: { path: 'storage.filesystemOverhead' },
  vmStateStorageClass: { path: 'storage.vmStateStorageClass' },
  scratchSpaceStorageClass: { path: 'storage.scratchSpaceStorageClass' },
  storageImport: { path: 'storage.storageImport' },
  resourceRequirements: { path: 'storage.workloadResourceRequirements', note: 'its storageWorkloads; vmiCPUAllocationRatio and autoCPULimitNamespaceLabelSelector go to spec.virtualization' },
  infra: { path: 'deployment.nodePlacements.infra', note: 'its nodePlacement' },
  workloads: { path: 'deployment.nodePlacements.workload', note: 'its nodePlacement' },
  uninstallStrategy: { path: 'deployment.uninstallStrategy' },
  logVerbosityConfig: { path: 'deployment.logVerbosityConfig' },
  deployVmConsoleProxy: { path: 'deployment.deployVmConsoleProxy' },
  applicationAwareConfig: { path: 'deployment.applicationAwareConfig' },
  enableApplicationAwareQuota: { path: 'deployment.applicationAwareConfig.enable' },
  certConfig: { path: 'security.certConfig' },
  tlsSecurityProfile: { path: 'security.tlsSecurityProfile' },
  networkBinding: { path: 'networking.networkBinding' },
  kubeMacPoolConfiguration: { path: 'networking.kubeMacPoolConfiguration' },
  kubeSecondaryDNSNameServerIP: { path: 'networking.kubeSecondaryDNSNameServerIP' },
  liveMigrationConfig: { path: 'virtualization.liveMigrationConfig' },
  permittedHostDevices: { path: 'virtualization.permittedHostDevices' },
  mediatedDevicesConfiguration: { path: 'virtualization.mediatedDevicesConfiguration' },
  workloadUpdateStrategy: { path: 'virtualization.workloadUpdateStrategy' },
  obsoleteCPUs: { path: 'virtualization.obsoleteCPUModels', note: 'its cpuModels' },
  evictionStrategy: { path: 'virtualization.evictionStrategy' },
  higherWorkloadDensity: { path: 'virtualization.higherWorkloadDensity' },
  liveUpdateConfiguration: { path: 'virtualization.liveUpdateConfiguration' },
  ksmConfiguration: { path: 'virtualization.ksmConfiguration' },
  changedBlockTrackingLabelSelectors: { path: 'virtualization.changedBlockTrackingLabelSelectors' },
  hypervisors: { path: 'virtualization.hypervisors' },
  roleAggregationStrategy: { path: 'virtualization.roleAggregationStrategy' },
  tuningPolicy: { path: 'virtualization.tuningPolicy' },
  virtualMachineOptions: { path: 'virtualization.virtualMachineOptions' },
  defaultCPUModel: { path: 'virtualization.virtualMachineOptions.defaultCPUModel' },
  defaultRuntimeClass: { path: 'virtualization.virtualMachineOptions.defaultRuntimeClass' },
};

/** The groups v1 has at the top of its spec and v1beta1 does not. */
export const V1_ONLY_SECTIONS: readonly string[] = ['workloadSources', 'storage', 'virtualization', 'networking', 'security', 'deployment', 'observability'];

/** Where a v1 `spec.<section>.<key>` was in v1beta1: the reverse of V1BETA1_TO_V1. */
export function v1beta1PathOf(section: string, key: string): string | undefined {
  for (const [old, to] of Object.entries(V1BETA1_TO_V1)) if (to.path === `${section}.${key}`) return old;
  return undefined;
}

/** The label and annotation keys and namespaces the golden-image workaround reads and writes. */

export const ANN = {
  defaultStorageClass: 'storageclass.kubernetes.io/is-default-class',
  defaultVirtStorageClass: 'storageclass.kubevirt.io/is-default-virt-class',
  defaultSnapshotClass: 'snapshot.storage.kubernetes.io/is-default-class',
  useReadWriteOnceForDataImportCron: 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron',
  snapshotClassForDataImportCron: 'cdi.kubevirt.io/snapshotClassForDataImportCron',
  dataImportCronTemplateEnable: 'dataimportcrontemplate.kubevirt.io/enable',
} as const;

export const LABEL = {
  dataImportCron: 'cdi.kubevirt.io/dataImportCron',
} as const;

/** SSP's golden-image namespace upstream, and OpenShift Virtualization's. */
export const GOLDEN_NAMESPACES = { upstream: 'kubevirt-os-images', openshift: 'openshift-virtualization-os-images' } as const;

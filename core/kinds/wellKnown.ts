/**
 * Every well-known label, annotation and finalizer key the tools read or write, defined once: import these
 * rather than spelling a key (`npm run check:sources` fails on a quoted copy elsewhere in the product). Keys are
 * grouped by what they mark; each says who defines it upstream.
 */

export const LABEL = {
  /** CDI: its PVC webhook (and the DataVolume controller's hand-off to it) renders PVCs with this label "true". */
  applyStorageProfile: 'cdi.kubevirt.io/applyStorageProfile',
  /** KubeVirt backend storage: the TPM/EFI persistent-state PVC of a VM (`PVCPrefix`, backend-storage.go). */
  persistentStateFor: 'persistent-state-for',
  /** KubeVirt backend storage: the persistent-state PVC of a migration target. */
  migrationName: 'kubevirt.io/migrationName',
  /** KubeVirt restore (CreateRestorePVCDefFromVMRestore): the VM a restored PVC came from. */
  restoreSourceVmName: 'restore.kubevirt.io/source-vm-name',
  restoreSourceVmNamespace: 'restore.kubevirt.io/source-vm-namespace',
  /** CDI DataImportCron: the cron that imported a PVC or VolumeSnapshot (the safe selector of cron snapshots). */
  dataImportCron: 'cdi.kubevirt.io/dataImportCron',
  /** CDI DataImportCron: "true" when `retentionPolicy: None` (deleted with the cron). */
  dataImportCronCleanup: 'cdi.kubevirt.io/dataImportCron.cleanup',
  /** migcontroller's VolumeResize operator (constants.go): objects of one migration. */
  volumeResizeMigrationName: 'storage.maurice.fr/migration-name',
  volumeResizeReplica: 'storage.maurice.fr/replica',
  volumeResizeVolumeName: 'storage.maurice.fr/volume-name',
  /** Kubernetes: a node's hostname (the topology key of per-node anti-affinity). */
  hostname: 'kubernetes.io/hostname',
  /** Kubernetes' recommended labels. */
  appName: 'app.kubernetes.io/name',
  appComponent: 'app.kubernetes.io/component',
  appPartOf: 'app.kubernetes.io/part-of',
  appManagedBy: 'app.kubernetes.io/managed-by',
  /** Kubernetes: a Namespace's own name (set by the API server on every Namespace; namespaceSelector's handle). */
  namespaceName: 'kubernetes.io/metadata.name',
  /** Kubernetes: the Service an EndpointSlice belongs to. */
  serviceName: 'kubernetes.io/service-name',
  /** The konnectivity agents (GKE, AKS, …) through which some control planes reach pods, webhooks included. */
  k8sApp: 'k8s-app',
} as const;

export const ANNOTATION = {
  /** Kubernetes: the default StorageClass (and CDI's fallback for non-kubevirt content). */
  defaultStorageClass: 'storageclass.kubernetes.io/is-default-class',
  /** Kubernetes: the beta spelling of the default StorageClass, still honoured by the API server (IsDefaultAnnotation), not by CDI. */
  betaDefaultStorageClass: 'storageclass.beta.kubernetes.io/is-default-class',
  /** Kubernetes PVC: the beta storage class annotation; a PVC carrying it "has a class" for DefaultStorageClass admission. */
  betaStorageClass: 'volume.beta.kubernetes.io/storage-class',
  /** CDI PVC: the namespace of its VolumeCloneSource (cross-namespace clones); CDI's webhook looks the source up there. */
  dataSourceNamespace: 'cdi.kubevirt.io/dataSourceNamespace',
  /** CDI PVC: a clone's type; up to v1.63 RenderPvc lets such a PVC leave out its size. */
  cloneType: 'cdi.kubevirt.io/cloneType',
  /** CDI and KubeVirt: the default StorageClass for VM disks, preferred over the Kubernetes default. */
  defaultVirtStorageClass: 'storageclass.kubevirt.io/is-default-virt-class',
  /** external-snapshotter: the default VolumeSnapshotClass of a driver (`IsDefaultAnnotation`). */
  defaultSnapshotClass: 'snapshot.storage.kubernetes.io/is-default-class',
  /** CDI StorageProfile: the smallest PVC the class provisions; CDI raises smaller requests to it. */
  minimumSupportedPvcSize: 'cdi.kubevirt.io/minimumSupportedPvcSize',
  /** CDI StorageProfile (v1.65+): DataImportCron PVCs use ReadWriteOnce. */
  useReadWriteOnceForDataImportCron: 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron',
  /** CDI StorageProfile (v1.65+): the VolumeSnapshotClass of DataImportCron snapshots. */
  snapshotClassForDataImportCron: 'cdi.kubevirt.io/snapshotClassForDataImportCron',
  /** CDI StorageClass: the clone strategy (`copy`, `snapshot`, `csi-clone`). */
  cloneStrategy: 'cdi.kubevirt.io/clone-strategy',
  /** CDI PVC: the content type (`kubevirt`, `archive`); KubeVirt's restore keeps it. */
  contentType: 'cdi.kubevirt.io/storage.contentType',
  /** CDI DataImportCron snapshots: when last used (GC order), the advised restore size, the source volume mode. */
  importLastUseTime: 'cdi.kubevirt.io/storage.import.lastUseTime',
  importAdvisedRestoreSize: 'cdi.kubevirt.io/storage.import.advisedRestoreSize',
  importSourceVolumeMode: 'cdi.kubevirt.io/storage.import.sourceVolumeMode',
  /** KubeVirt restore: the VirtualMachineRestore that created a PVC, and its UID. */
  restoreName: 'restore.kubevirt.io/name',
  lastRestoreUid: 'restore.kubevirt.io/lastRestoreUID',
  /** migcontroller's VolumeResize operator (constants.go). */
  volumeResizeOldPvName: 'storage.maurice.fr/old-pv-name',
  volumeResizeManagedBy: 'storage.maurice.fr/managed-by',
  volumeResizeStsDeleted: 'storage.maurice.fr/sts-deleted',
  volumeResizeStsBackupConfigMap: 'storage.maurice.fr/sts-backup-cm',
  /** HCO: `"false"` on a dataImportCronTemplates entry disables that common golden image. */
  dataImportCronTemplateEnable: 'dataimportcrontemplate.kubevirt.io/enable',
  /** OADP's kubevirt datamover: the VM a PVC belongs to. */
  datamoverVm: 'kubevirt-datamover-vm',
  /** kubectl: the whole object as last applied client-side (bulky; caches drop it). */
  lastAppliedConfiguration: 'kubectl.kubernetes.io/last-applied-configuration',
  /** OpenShift service-ca: a Service's serving-certificate Secret, and a webhook configuration's injected caBundle. */
  serviceCaServingCertSecretName: 'service.beta.openshift.io/serving-cert-secret-name',
  serviceCaInjectCabundle: 'service.beta.openshift.io/inject-cabundle',
  /** This project: rule ids (comma-separated, or `all`) not to report on the object that carries it. */
  ignoreRules: 'kubevirt-storage.io/ignore',
  /** cert-manager's CA injector: the Certificate whose CA goes into a webhook configuration. */
  certManagerInjectCaFrom: 'cert-manager.io/inject-ca-from',
} as const;

export const FINALIZER = {
  /** migcontroller's VolumeResize operator. */
  volumeResize: 'storage.maurice.fr/finalizer',
} as const;

/** The label and annotation keys (from core/kinds) and the namespaces the golden-image workaround reads and writes. */
import { ANNOTATION, LABEL as WELL_KNOWN_LABEL } from '../../kinds/wellKnown.js';

export const ANN = {
  defaultStorageClass: ANNOTATION.defaultStorageClass,
  defaultVirtStorageClass: ANNOTATION.defaultVirtStorageClass,
  defaultSnapshotClass: ANNOTATION.defaultSnapshotClass,
  useReadWriteOnceForDataImportCron: ANNOTATION.useReadWriteOnceForDataImportCron,
  snapshotClassForDataImportCron: ANNOTATION.snapshotClassForDataImportCron,
  dataImportCronTemplateEnable: ANNOTATION.dataImportCronTemplateEnable,
} as const;

export const LABEL = { dataImportCron: WELL_KNOWN_LABEL.dataImportCron } as const;

/** SSP's golden-image namespace upstream, and OpenShift Virtualization's. */
export const GOLDEN_NAMESPACES = { upstream: 'kubevirt-os-images', openshift: 'openshift-virtualization-os-images' } as const;

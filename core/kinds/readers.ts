/**
 * The facts (core/facts.ts) each kind yields, read once for both sources through an ObjectView: the same reader
 * serves the workspace's YAML (core/workspaceFacts.ts) and the cluster's caches (cluster/clusterFacts.ts).
 * The reading rules: StorageProfile sets from status else spec, CDIConfig overhead from status only (CDI's
 * consumers never read spec), the CDI version from status.observedVersion. Malformed objects give undefined or
 * leave the odd field out; nothing throws.
 */
import type {
  SnapshotClassFact,
  CdiConfigFact,
  ClaimTemplateFact,
  PdbFact,
  PvFact,
  StatefulSetFact,
  ClaimObjectFact,
  ClaimObjectKind,
  CdiVersionFact,
  CdiWebhookSwitches,
  ClaimPropertySet,
  DataSourceFact,
  FactSource,
  LabelSelectorFact,
  PvcWebhookFact,
  SnapshotContentFact,
  SnapshotFact,
  StorageClassFact,
  StorageProfileFact,
  VmSnapshotContentFact,
  VmSnapshotFact,
  VolumeBackupFact,
} from '../facts.js';
import { ownValue } from '../own.js';
import { parseQuantity } from '../quantity.js';
import type { ObjectView } from './view.js';
import { ANNOTATION } from './wellKnown.js';

/** What a reader gets besides the object: where it came from, and the namespace of an object that names none. */
export interface ReadContext {
  source: FactSource;
  defaultNamespace: string;
}

export type FactReader<F> = (v: ObjectView, ctx: ReadContext) => F | undefined;

function optionalText<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function bytesOf(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const q = parseQuantity(text);
  return q.ok ? q.quantity.bytes : undefined;
}

/** A snapshot.storage.k8s.io VolumeSnapshot. `restoreSize` may be a string or (JSON) a number. */
export const readVolumeSnapshot: FactReader<SnapshotFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  const restoreSizeText = v.text('status', 'restoreSize');
  return {
    namespace: v.namespace ?? defaultNamespace,
    name: v.name,
    restoreSizeText,
    restoreSizeBytes: bytesOf(restoreSizeText),
    readyToUse: v.bool('status', 'readyToUse'),
    volumeSnapshotClassName: v.text('spec', 'volumeSnapshotClassName'),
    sourcePvcName: v.text('spec', 'source', 'persistentVolumeClaimName'),
    ...optionalText('importSourceVolumeMode', ownValue(v.map('metadata', 'annotations'), ANNOTATION.importSourceVolumeMode)),
    ...optionalText('contentName', v.text('spec', 'source', 'volumeSnapshotContentName')),
    ...optionalText('boundContentName', v.text('status', 'boundVolumeSnapshotContentName')),
    ...optionalText('uid', v.text('metadata', 'uid')),
    source,
  };
};

/** A VolumeSnapshotContent. `status.restoreSize` is int64 bytes (the CRD: integer, minimum 0); anything else is left out. */
export const readVolumeSnapshotContent: FactReader<SnapshotContentFact> = (v, { source }) => {
  if (!v.name) return undefined;
  const size = v.text('status', 'restoreSize');
  const ref = { ...optionalText('name', v.text('spec', 'volumeSnapshotRef', 'name')), ...optionalText('namespace', v.text('spec', 'volumeSnapshotRef', 'namespace')), ...optionalText('uid', v.text('spec', 'volumeSnapshotRef', 'uid')) };
  const ready = v.bool('status', 'readyToUse');
  return {
    name: v.name,
    ...optionalText('driver', v.text('spec', 'driver')),
    ...optionalText('deletionPolicy', v.text('spec', 'deletionPolicy')),
    ...optionalText('volumeHandle', v.text('spec', 'source', 'volumeHandle')),
    ...optionalText('snapshotHandle', v.text('spec', 'source', 'snapshotHandle')),
    ...optionalText('sourceVolumeMode', v.text('spec', 'sourceVolumeMode')),
    ...optionalText('volumeSnapshotClassName', v.text('spec', 'volumeSnapshotClassName')),
    snapshotRef: ref,
    ...(size !== undefined && /^[0-9]+$/.test(size) ? { restoreSizeBytes: BigInt(size) } : {}),
    ...(ready === undefined ? {} : { readyToUse: ready }),
    source,
  };
};

export const readStorageClass: FactReader<StorageClassFact> = (v, { source }) => {
  if (!v.name) return undefined;
  const ann = v.map('metadata', 'annotations');
  return {
    name: v.name,
    provisioner: v.text('provisioner'),
    isDefault: ann[ANNOTATION.defaultStorageClass] === 'true',
    isDefaultVirt: ann[ANNOTATION.defaultVirtStorageClass] === 'true',
    ...(ann[ANNOTATION.betaDefaultStorageClass] === 'true' ? { isDefaultBeta: true } : {}),
    creationTimestamp: v.text('metadata', 'creationTimestamp'),
    parameters: v.map('parameters'),
    volumeBindingMode: v.text('volumeBindingMode'),
    allowVolumeExpansion: v.bool('allowVolumeExpansion'),
    source,
  };
};

function claimPropertySets(v: ObjectView, where: 'status' | 'spec'): ClaimPropertySet[] {
  return v.items(where, 'claimPropertySets').map((s) => {
    const mode = s.text('volumeMode');
    return { accessModes: s.list('accessModes') ?? [], volumeMode: mode === 'Block' || mode === 'Filesystem' ? mode : undefined };
  });
}

export const readStorageProfile: FactReader<StorageProfileFact> = (v, { source }) => {
  if (!v.name) return undefined;
  const fromStatus = claimPropertySets(v, 'status');
  const fromSpec = fromStatus.length ? [] : claimPropertySets(v, 'spec');
  const minText = v.map('metadata', 'annotations')[ANNOTATION.minimumSupportedPvcSize];
  return {
    name: v.name,
    claimPropertySets: fromStatus.length ? fromStatus : fromSpec,
    claimPropertySetsFrom: fromStatus.length ? 'status' : fromSpec.length ? 'spec' : 'none',
    minimumSupportedPvcSizeText: minText,
    minimumSupportedPvcSizeBytes: bytesOf(minText),
    ...optionalText('snapshotClass', v.text('status', 'snapshotClass') ?? v.text('spec', 'snapshotClass')),
    ...optionalText('snapshotClassForDataImportCron', ownValue(v.map('metadata', 'annotations'), ANNOTATION.snapshotClassForDataImportCron)),
    source,
  };
};

/** CDIConfig: the effective overhead CDI writes to status, and what its spec says of the PVC webhook. */
export const readCdiConfig: FactReader<CdiConfigFact> = (v, { source }) => {
  const global = v.text('status', 'filesystemOverhead', 'global');
  const perClass = v.map('status', 'filesystemOverhead', 'storageClass');
  // A spec that says nothing of the webhook (only filesystemOverhead, say) is not what CDI's readers use.
  const switches = webhookSwitches(v, 'spec');
  const spec = switches && (switches.featureGates !== undefined || switches.webhookPvcRendering !== undefined) ? switches : undefined;
  if (global === undefined && Object.keys(perClass).length === 0 && !spec) return undefined;
  return { globalOverhead: global, storageClassOverhead: perClass, ...(spec ? { spec } : {}), source };
};

/** `featureGates` and `webhookPvcRendering` of the mapping at `path`, when there is one. */
function webhookSwitches(v: ObjectView, ...path: string[]): CdiWebhookSwitches | undefined {
  if (!v.hasMap(...path)) return undefined;
  const featureGates = v.list(...path, 'featureGates');
  const policy = v.text(...path, 'webhookPvcRendering');
  return { ...(featureGates === undefined ? {} : { featureGates }), ...(policy === undefined ? {} : { webhookPvcRendering: policy }) };
}

/** The CDI CR: `status.observedVersion`, and its `spec.config` (copied by the operator into CDIConfig `spec`). */
export const readCdiVersion: FactReader<CdiVersionFact> = (v, { source }) => {
  const version = v.text('status', 'observedVersion');
  const config = webhookSwitches(v, 'spec', 'config');
  if (!version && !config) return undefined;
  return { ...(version ? { version } : {}), ...(config ? { config } : {}), source };
};

function labelSelector(v: ObjectView, ...path: string[]): LabelSelectorFact | undefined {
  if (!v.hasMap(...path)) return undefined;
  return {
    matchLabels: v.map(...path, 'matchLabels'),
    matchExpressions: v.items(...path, 'matchExpressions').map((e) => ({ key: e.text('key') ?? '', operator: e.text('operator') ?? '', values: e.list('values') ?? [] })),
  };
}

/** Whether one of a webhook's rules covers CREATE of core/v1 persistentvolumeclaims (`*` included). */
function coversPvcCreate(rule: ObjectView): boolean {
  const has = (field: string, value: string) => (rule.list(field) ?? []).some((x) => x === value || x === '*');
  return has('operations', 'CREATE') && has('apiGroups', '') && has('apiVersions', 'v1') && has('resources', 'persistentvolumeclaims');
}

/** A MutatingWebhookConfiguration as CDI's PVC webhook (the cluster reads the one named `cdi-api-pvc-mutate`). */
export const readPvcWebhook: FactReader<PvcWebhookFact> = (v, { source }) => {
  if (!v.name) return undefined;
  return {
    present: true,
    webhooks: v.items('webhooks').map((w) => {
      const objectSelector = labelSelector(w, 'objectSelector');
      const namespaceSelector = labelSelector(w, 'namespaceSelector');
      return {
        name: w.text('name') ?? '',
        matchesPvcCreate: w.items('rules').some(coversPvcCreate),
        ...(objectSelector ? { objectSelector } : {}),
        ...(namespaceSelector ? { namespaceSelector } : {}),
      };
    }),
    source,
  };
};

export const readVmSnapshot: FactReader<VmSnapshotFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  return {
    namespace: v.namespace ?? defaultNamespace,
    name: v.name,
    contentName: v.text('status', 'virtualMachineSnapshotContentName'),
    vmName: v.text('spec', 'source', 'name'),
    readyToUse: v.bool('status', 'readyToUse'),
    phase: v.text('status', 'phase'),
    source,
  };
};

function volumeBackup(b: ObjectView): VolumeBackupFact {
  const requestText = b.text('persistentVolumeClaim', 'spec', 'resources', 'requests', 'storage');
  return {
    volumeName: b.text('volumeName') ?? '',
    pvcName: b.text('persistentVolumeClaim', 'metadata', 'name'),
    labels: b.map('persistentVolumeClaim', 'metadata', 'labels'),
    annotations: b.map('persistentVolumeClaim', 'metadata', 'annotations'),
    storageClassName: b.text('persistentVolumeClaim', 'spec', 'storageClassName'),
    accessModes: b.list('persistentVolumeClaim', 'spec', 'accessModes'),
    volumeMode: b.text('persistentVolumeClaim', 'spec', 'volumeMode'),
    requestText,
    requestBytes: bytesOf(requestText),
    volumeSnapshotName: b.text('volumeSnapshotName'),
  };
}

export const readVmSnapshotContent: FactReader<VmSnapshotContentFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  return {
    namespace: v.namespace ?? defaultNamespace,
    name: v.name,
    snapshotName: v.text('spec', 'virtualMachineSnapshotName'),
    volumeBackups: v.items('spec', 'volumeBackups').map(volumeBackup),
    source,
  };
};

/** A VolumeSnapshotClass as the doctor reads it (no `spec`: driver and parameters are top-level). */
export const readVolumeSnapshotClass: FactReader<SnapshotClassFact> = (v, { source }) => {
  if (!v.name) return undefined;
  const driver = v.text('driver');
  return {
    name: v.name,
    ...(driver ? { driver } : {}),
    isDefault: v.map('metadata', 'annotations')[ANNOTATION.defaultSnapshotClass] === 'true',
    parameters: v.map('parameters'),
    source,
  };
};

/** A whole number written as a scalar ("3"), else undefined. */
function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function claimTemplate(t: ObjectView): ClaimTemplateFact {
  const requestText = t.text('spec', 'resources', 'requests', 'storage');
  return {
    name: t.text('metadata', 'name') ?? '',
    requestText,
    requestBytes: bytesOf(requestText),
    storageClassName: t.text('spec', 'storageClassName'),
    accessModes: t.list('spec', 'accessModes'),
    volumeMode: t.text('spec', 'volumeMode'),
    labels: t.map('metadata', 'labels'),
  };
}

/** apps/v1 StatefulSet: replicas (1 when absent, as the API server defaults it), pod labels, claim templates. */
export const readStatefulSet: FactReader<StatefulSetFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  return {
    namespace: v.namespace ?? defaultNamespace,
    name: v.name,
    replicas: wholeNumber(v.text('spec', 'replicas')) ?? 1,
    templateLabels: v.map('spec', 'template', 'metadata', 'labels'),
    selector: v.map('spec', 'selector', 'matchLabels'),
    volumeClaimTemplates: v.items('spec', 'volumeClaimTemplates').map(claimTemplate),
    source,
  };
};

/** policy/v1 PodDisruptionBudget: its matchLabels (all the VolumeResize operator reads) and the allowed disruptions. */
export const readPodDisruptionBudget: FactReader<PdbFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  return {
    namespace: v.namespace ?? defaultNamespace,
    name: v.name,
    hasSelector: v.has('spec', 'selector'),
    matchLabels: v.map('spec', 'selector', 'matchLabels'),
    disruptionsAllowed: wholeNumber(v.text('status', 'disruptionsAllowed')),
    minAvailable: v.text('spec', 'minAvailable'),
    maxUnavailable: v.text('spec', 'maxUnavailable'),
    source,
  };
};

export const readPersistentVolume: FactReader<PvFact> = (v, { source }) => {
  if (!v.name) return undefined;
  const capacityText = v.text('spec', 'capacity', 'storage');
  const claim = v.has('spec', 'claimRef') ? { namespace: v.text('spec', 'claimRef', 'namespace'), name: v.text('spec', 'claimRef', 'name'), uid: v.text('spec', 'claimRef', 'uid') } : undefined;
  return {
    name: v.name,
    capacityText,
    capacityBytes: bytesOf(capacityText),
    storageClassName: v.text('spec', 'storageClassName'),
    reclaimPolicy: v.text('spec', 'persistentVolumeReclaimPolicy'),
    phase: v.text('status', 'phase'),
    ...(claim ? { claimRef: claim } : {}),
    pinned: v.has('spec', 'nodeAffinity', 'required'),
    source,
  };
};
/** A CDI DataSource's source: a VolumeSnapshot or a PVC, each in the DataSource's namespace unless it names one. */
export const readDataSource: FactReader<DataSourceFact> = (v, { source, defaultNamespace }) => {
  if (!v.name) return undefined;
  const namespace = v.namespace ?? defaultNamespace;
  const ref = (kind: 'snapshot' | 'pvc') => {
    const name = v.text('spec', 'source', kind, 'name');
    return name ? { [kind]: { namespace: v.text('spec', 'source', kind, 'namespace') || namespace, name } } : {};
  };
  return { namespace, name: v.name, ...ref('snapshot'), ...ref('pvc'), source };
};

const DATA_VOLUME_SPECS = [['spec', 'storage'], ['spec', 'pvc']];
const PVC_SPECS = [['spec']];
const REQUEST = ['resources', 'requests', 'storage'];
const STORAGE_CLASS = ['storageClassName'];
const VOLUME_MODE = ['volumeMode'];

/** The field at `path` in the first of `specs` that has it; the later ones are not read when one does. */
function firstText(v: ObjectView, specs: readonly string[][], path: readonly string[]): string | undefined {
  for (const s of specs) {
    const t = v.text(...s, ...path);
    if (t !== undefined) return t;
  }
  return undefined;
}

/**
 * An object claims name (ClaimObjectFact): a PVC, a DataVolume, a CDI populator source. One reader per kind
 * (objects listed by the API carry no `kind`).
 */
export function claimObjectReader(kind: ClaimObjectKind): FactReader<ClaimObjectFact> {
  return (v, { source, defaultNamespace }) => {
    if (!v.name) return undefined;
    const fact: ClaimObjectFact = { kind, namespace: v.namespace ?? defaultNamespace, name: v.name, source };
    if (kind === 'PersistentVolumeClaim' || kind === 'DataVolume') {
      // A DataVolume's claim is `spec.storage`, else `spec.pvc`, field by field.
      const specs = kind === 'DataVolume' ? DATA_VOLUME_SPECS : PVC_SPECS;
      const requestText = firstText(v, specs, REQUEST);
      const capacityText = v.text('status', 'capacity', 'storage');
      const storageClassName = firstText(v, specs, STORAGE_CLASS);
      const volumeMode = firstText(v, specs, VOLUME_MODE);
      let accessModes: string[] | undefined;
      for (const s of specs) if (accessModes === undefined) accessModes = v.list(...s, 'accessModes');
      const phase = v.text('status', 'phase');
      const volumeName = kind === 'PersistentVolumeClaim' ? v.text('spec', 'volumeName') : undefined;
      // GetPVCContentType (pkg/controller/common/util.go): only "archive" is archive; absent or other is kubevirt.
      const contentType = kind === 'PersistentVolumeClaim' ? (v.map('metadata', 'annotations')[ANNOTATION.contentType] === 'archive' ? 'archive' : 'kubevirt') : undefined;
      // Assigned in this order (the fact's keys keep it), without a spread object per field.
      if (requestText !== undefined) {
        fact.requestText = requestText;
        fact.requestBytes = bytesOf(requestText);
      }
      if (capacityText !== undefined) {
        fact.capacityText = capacityText;
        fact.capacityBytes = bytesOf(capacityText);
      }
      if (storageClassName !== undefined) fact.storageClassName = storageClassName;
      if (volumeMode !== undefined) fact.volumeMode = volumeMode;
      if (accessModes !== undefined) fact.accessModes = accessModes;
      if (phase !== undefined) fact.phase = phase;
      if (volumeName !== undefined) fact.volumeName = volumeName;
      if (contentType !== undefined) fact.contentType = contentType;
    }
    if (kind === 'VolumeCloneSource') {
      const k = v.text('spec', 'source', 'kind');
      const n = v.text('spec', 'source', 'name');
      fact.populatorSource = { ...(k === undefined ? {} : { kind: k }), ...(n === undefined ? {} : { name: n }) };
    }
    if (kind === 'VolumeImportSource') {
      const url = v.text('spec', 'source', 'http', 'url') ?? v.text('spec', 'source', 'registry', 'url') ?? v.text('spec', 'source', 's3', 'url') ?? v.text('spec', 'source', 'gcs', 'url');
      if (url !== undefined) fact.populatorSource = { url };
    }
    return fact;
  };
}

/**
 * The keys of a PVC spec (and of the objects around one) as completion offers them: what each is, what CDI does
 * with it, and the text a key inserts. Kubernetes' PersistentVolumeClaimSpec (core/v1), CDI's StorageSpec
 * (DataVolume `spec.storage`) and the VolumeClaimTemplates design (kubevirt/community PR #232, not merged).
 */
import type { ClaimFlavour } from '../claimSpecs/places.js';
import { ANNOTATION, LABEL } from '../kinds/index.js';

export interface KeyDoc {
  key: string;
  /** Markdown. */
  doc: string;
  /** The snippet after the key (`: ${1}`, or the lines of a map or list), relative to the key's column. */
  snippet: string;
  /** Ask for the value's completion once inserted. */
  retrigger?: boolean;
  /** Only in these places (all when absent). */
  only?: readonly ClaimFlavour[];
  children?: readonly KeyDoc[];
}

const renderedBy = (what: string) =>
  `\n\nLeave it out and CDI fills it ${what}: in a VolumeClaimTemplate (rendered in-process) and a DataVolume's \`spec.storage\`; ` +
  `on a PVC only CDI's webhook does, when the PVC is labelled \`${LABEL.applyStorageProfile}: "true"\`. \`spec.pvc\` is never filled.`;

const refKeys = (namespace: boolean): KeyDoc[] => [
  { key: 'apiGroup', doc: 'API group of the source: `cdi.kubevirt.io` for CDI\'s populator sources, `snapshot.storage.k8s.io` for a VolumeSnapshot, empty for a PVC.', snippet: ': ${1}', retrigger: true },
  { key: 'kind', doc: 'Kind of the source: `VolumeImportSource`, `VolumeCloneSource`, `VolumeUploadSource` (CDI populators), `VolumeSnapshot` or `PersistentVolumeClaim`.', snippet: ': ${1}', retrigger: true },
  { key: 'name', doc: 'Name of the source object, in the claim\'s namespace unless `namespace` says otherwise.', snippet: ': ${1}', retrigger: true },
  ...(namespace ? [{ key: 'namespace', doc: 'Namespace of the source (cross-namespace data sources: the `CrossNamespaceVolumeDataSource` feature gate and a ReferenceGrant).', snippet: ': ${1}' }] : []),
];

/** The keys of a claim spec. */
export const claimSpecKeys: readonly KeyDoc[] = [
  {
    key: 'storageClassName',
    doc: 'The StorageClass to provision from. `""` means no class (static PVs only), not the default.' + renderedBy(`with the virt default class (\`${ANNOTATION.defaultVirtStorageClass}\`), else the Kubernetes default`),
    snippet: ': ${1}',
    retrigger: true,
  },
  {
    key: 'accessModes',
    doc: 'How nodes may mount the volume: `ReadWriteOnce`, `ReadWriteMany` (live migration needs it), `ReadOnlyMany`, `ReadWriteOncePod`.' + renderedBy("from the class's StorageProfile `claimPropertySets`"),
    snippet: ':\n  - ${1}',
    retrigger: true,
  },
  {
    key: 'volumeMode',
    doc: '`Block` (a raw device: no filesystem overhead) or `Filesystem`. CDI adds its filesystem overhead to `Filesystem` disk images.' + renderedBy("from the class's StorageProfile"),
    snippet: ': ${1}',
    retrigger: true,
  },
  {
    key: 'resources',
    doc: `The size: \`requests.storage\`. For a \`Filesystem\` volume CDI requests more (the filesystem overhead), and never less than the StorageProfile's \`${ANNOTATION.minimumSupportedPvcSize}\`. A clone from a \`VolumeCloneSource\` may leave it out: CDI takes the source's size.`,
    snippet: ':\n  requests:\n    storage: ${1}',
    retrigger: true,
    children: [
      { key: 'requests', doc: 'What the claim asks for: `storage`.', snippet: ':\n  storage: ${1}', retrigger: true, children: [{ key: 'storage', doc: 'A quantity (`10Gi`, `20Mi`): the requested size.', snippet: ': ${1}', retrigger: true }] },
      { key: 'limits', doc: 'Upper bound, rarely used for storage.', snippet: ':\n  storage: ${1}', children: [{ key: 'storage', doc: 'A quantity.', snippet: ': ${1}' }] },
    ],
  },
  {
    key: 'dataSourceRef',
    doc: 'Populate the volume from an object: a CDI populator source (`VolumeImportSource`, `VolumeCloneSource`, `VolumeUploadSource`), a `VolumeSnapshot` or a PVC. The Kubernetes way of what a DataVolume\'s `source` does.',
    snippet: ':\n  apiGroup: ${1:cdi.kubevirt.io}\n  kind: ${2|VolumeImportSource,VolumeCloneSource,VolumeUploadSource|}\n  name: ${3}',
    children: refKeys(true),
  },
  {
    key: 'dataSource',
    doc: 'The older field: a `VolumeSnapshot` or a PVC to restore or clone (same namespace). Prefer `dataSourceRef`.',
    snippet: ':\n  apiGroup: ${1:snapshot.storage.k8s.io}\n  kind: ${2|VolumeSnapshot,PersistentVolumeClaim|}\n  name: ${3}',
    children: refKeys(false),
  },
  { key: 'selector', doc: 'A label selector over existing PersistentVolumes (static provisioning).', snippet: ':\n  matchLabels:\n    ${1}: ${2}' },
  { key: 'volumeName', doc: 'Bind to this PersistentVolume (static provisioning).', snippet: ': ${1}' },
  { key: 'volumeAttributesClassName', doc: 'A VolumeAttributesClass (Kubernetes 1.31+ beta): mutable IOPS and throughput.', snippet: ': ${1}' },
];

/** Keys of the metadata of a template (`volumeClaimTemplates[]`, `dataVolumeTemplates[]`). */
export const templateMetadataKeys: readonly KeyDoc[] = [
  { key: 'name', doc: 'The claim\'s name in the VM: the VM\'s volumes name it. The design creates the PVC as `<vm>-<name>`.', snippet: ': ${1}' },
  { key: 'labels', doc: 'Labels of the PVC.', snippet: ':\n  ${1}: ${2}' },
  { key: 'annotations', doc: `Annotations of the PVC (\`${ANNOTATION.contentType}: archive\` for non-disk content).`, snippet: ':\n  ${1}: ${2}' },
];

/** Keys of a `volumeClaimTemplates[]` item. */
export const templateKeys: readonly KeyDoc[] = [
  { key: 'metadata', doc: 'The template\'s `name` (and labels, annotations).', snippet: ':\n  name: ${1}' },
  { key: 'spec', doc: 'A PVC spec, partial: what is left out CDI renders from the StorageProfile (class, access and volume modes, a clone\'s size).', snippet: ':\n  ${1}' },
];

/** Keys of a VirtualMachine `spec` this tool knows about. */
export const vmSpecKeys: readonly KeyDoc[] = [
  {
    key: 'volumeClaimTemplates',
    doc:
      'PVCs owned by the VM, as the VolumeClaimTemplates design proposes (kubevirt/community PR #232). **KubeVirt has not merged it**: no released VirtualMachine CRD serves the field. ' +
      'Write it, then run **Expand VolumeClaimTemplates into PVCs** to get PVCs rendered from the StorageProfiles and a VM that names them.',
    snippet: ':\n- metadata:\n    name: ${1:disk}\n  spec:\n    dataSourceRef:\n      apiGroup: cdi.kubevirt.io\n      kind: ${2|VolumeImportSource,VolumeCloneSource,VolumeUploadSource|}\n      name: ${3}\n    resources:\n      requests:\n        storage: ${4:10Gi}',
  },
  {
    key: 'dataVolumeTemplates',
    doc: 'DataVolumes owned by the VM (what KubeVirt serves today). Use `spec.storage` (rendered from the StorageProfile), not `spec.pvc` (copied verbatim).',
    snippet: ':\n- metadata:\n    name: ${1:disk}\n  spec:\n    storage:\n      resources:\n        requests:\n          storage: ${2:10Gi}\n    source:\n      blank: {}',
  },
];

/** The keys under `rest` inside a claim spec, or undefined when `rest` is not a map of the schema. */
export function keysAt(rest: readonly (string | number)[]): readonly KeyDoc[] | undefined {
  let keys: readonly KeyDoc[] | undefined = claimSpecKeys;
  for (const step of rest) {
    keys = keys?.find((k) => k.key === step)?.children;
    if (!keys) return undefined;
  }
  return keys;
}

/**
 * PVC specs in the analysed files ("claims") and, for those that restore a VolumeSnapshot, what the restore
 * rules share: the snapshot, the request, the CDI label. What a document says is extracted once per parsed
 * Document and kept as YAML nodes (not ranges), so an edit elsewhere in the file re-uses it even when the
 * document moved down a line.
 */
import type { Document, Node } from 'yaml';
import { isNode, isScalar } from 'yaml';
import { platformDefaultStorageClass } from './cdi/storageClass.js';
import type { PvcSpecInput } from './cdi/render.js';
import type { Facts, SnapshotFact, StorageClassFact } from './facts.js';
import { kinds, LABEL } from './kinds/index.js';
import type { Quantity } from './quantity.js';
import { parseQuantity } from './quantity.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Range, Settings } from './types.js';
import type { YamlDoc, YamlPath } from './yaml/documents.js';
import { rangeOf, scalarString, scalarText, sequenceNodes, stringList, stringMap } from './yaml/documents.js';
import { walk, walkNode } from './yaml/navigate.js';


/** A PVC spec in a document: a PVC itself, or a StatefulSet volumeClaimTemplate. */
export interface Claim {
  /** Path of the PVC-like object (holding metadata and spec). */
  objectPath: YamlPath;
  /** For messages: "PersistentVolumeClaim restore-tpm" or "StatefulSet db, volumeClaimTemplate data". */
  describe: string;
  /** `metadata.namespace` of the resource as written. */
  namespace?: string;
  /** dataSource first, then dataSourceRef (its namespace honoured), as pvc-shrink-ray and CDI read them. */
  ref?: { name: string; namespace?: string; via: 'dataSource' | 'dataSourceRef'; nameNode: Node };
  /** `spec.resources.requests.storage`, when a valid quantity. */
  request?: { text: string; quantity: Quantity; node: Node };
  /** The `cdi.kubevirt.io/applyStorageProfile` label, when present. */
  label?: { value: string; keyNode: Node; valueNode: Node };
  /** The spec as CDI's render model reads it (namespace filled in at use). */
  spec: PvcSpecInput;
}

const claimCache = new WeakMap<Document.Parsed, Claim[]>();

// Paths read from the claim's object node, made once: a claim was 20 spread path arrays and two closures.
const LABELS = ['metadata', 'labels'];
const ANNOTATIONS = ['metadata', 'annotations'];
const PROFILE_LABEL = ['metadata', 'labels', LABEL.applyStorageProfile];
const STORAGE_CLASS = ['spec', 'storageClassName'];
const ACCESS_MODES = ['spec', 'accessModes'];
const VOLUME_MODE = ['spec', 'volumeMode'];
const REQUEST = ['spec', 'resources', 'requests', 'storage'];
const REF_PATHS = {
  dataSource: { at: ['spec', 'dataSource'], apiGroup: ['spec', 'dataSource', 'apiGroup'], kind: ['spec', 'dataSource', 'kind'], name: ['spec', 'dataSource', 'name'], namespace: ['spec', 'dataSource', 'namespace'] },
  dataSourceRef: { at: ['spec', 'dataSourceRef'], apiGroup: ['spec', 'dataSourceRef', 'apiGroup'], kind: ['spec', 'dataSourceRef', 'kind'], name: ['spec', 'dataSourceRef', 'name'], namespace: ['spec', 'dataSourceRef', 'namespace'] },
} as const;
const VIAS = ['dataSource', 'dataSourceRef'] as const;

function claimAt(d: YamlDoc, r: Resource, objectPath: YamlPath, describe: string): Claim {
  const object = walkNode(d, objectPath);
  const claim: Claim = { objectPath, describe, namespace: r.namespace, spec: specInput(d, object) };
  if (!object) return claim;
  for (const via of VIAS) {
    const ref = claim.spec[via];
    const nameNode = walkNode(d, REF_PATHS[via].name, object);
    if (ref?.kind !== 'VolumeSnapshot' || ref.apiGroup !== kinds.VolumeSnapshot.group || !ref.name || !nameNode) continue;
    const namespace = 'namespace' in ref ? ref.namespace : undefined;
    claim.ref = { name: ref.name, namespace: namespace || undefined, via, nameNode };
    break;
  }
  const node = walkNode(d, REQUEST, object);
  const text = node && isScalar(node) ? scalarText(d, node) : undefined;
  const q = text === undefined ? undefined : parseQuantity(text);
  if (q?.ok && node && text !== undefined) {
    claim.request = { text, quantity: q.quantity, node };
    claim.spec.requestBytes = q.quantity.bytes;
  }
  const label = walk(d, PROFILE_LABEL, object);
  if (label && isNode(label.pair?.key)) {
    claim.label = { value: (isScalar(label.node) ? scalarText(d, label.node) : undefined) ?? '', keyNode: label.pair.key, valueNode: label.node };
  }
  return claim;
}

function refInput(d: YamlDoc, object: Node | undefined, via: 'dataSource' | 'dataSourceRef'): PvcSpecInput['dataSourceRef'] {
  const paths = REF_PATHS[via];
  return object && walkNode(d, paths.at, object)
    ? {
        apiGroup: scalarString(d, paths.apiGroup, object),
        kind: scalarString(d, paths.kind, object),
        name: scalarString(d, paths.name, object),
        namespace: via === 'dataSourceRef' ? scalarString(d, paths.namespace, object) : undefined,
      }
    : undefined;
}

/** The spec of the claim's object (`object`: its node; undefined when absent, read as an empty object). */
function specInput(d: YamlDoc, object: Node | undefined): PvcSpecInput {
  return {
    namespace: '',
    labels: object ? stringMap(d, LABELS, object) : {},
    annotations: object ? stringMap(d, ANNOTATIONS, object) : {},
    storageClassName: object && scalarString(d, STORAGE_CLASS, object),
    accessModes: object && stringList(d, ACCESS_MODES, object),
    volumeMode: object && scalarString(d, VOLUME_MODE, object),
    dataSource: refInput(d, object, 'dataSource'),
    dataSourceRef: refInput(d, object, 'dataSourceRef'),
  };
}

function claimsOfResource(d: YamlDoc, r: Resource): Claim[] {
  if (r.kind === 'PersistentVolumeClaim') return [claimAt(d, r, r.base, `PersistentVolumeClaim ${r.name ?? '(unnamed)'}`)];
  if (r.kind !== 'StatefulSet') return [];
  return sequenceNodes(d, at(r, 'spec', 'volumeClaimTemplates')).map((_, i) => {
    const objectPath = at(r, 'spec', 'volumeClaimTemplates', i);
    const name = scalarString(d, [...objectPath, 'metadata', 'name']) ?? `#${i}`;
    return claimAt(d, r, objectPath, `StatefulSet ${r.name ?? '(unnamed)'}, volumeClaimTemplate ${name}`);
  });
}

/** The claims of one document (its resources given), extracted once per parsed Document. */
/** Forgets a document's claims (a one-shot Workspace done with the document: core/forget.ts says why). */
export function forgetClaims(doc: Document.Parsed): void {
  claimCache.delete(doc);
}

export function claimsOf(d: YamlDoc, resources: Resource[]): Claim[] {
  if (!d.doc) return [];
  let claims = claimCache.get(d.doc);
  if (!claims) {
    claims = resources.filter((r) => r.doc === d).flatMap((r) => claimsOfResource(d, r));
    claimCache.set(d.doc, claims);
  }
  return claims;
}

/** A claim that restores a VolumeSnapshot, with the snapshot looked up. */
export interface Restore {
  doc: YamlDoc;
  claim: Claim & { ref: NonNullable<Claim['ref']> };
  /** The claim's namespace (the default applied). */
  namespace: string;
  snapshotNamespace: string;
  snapshot?: SnapshotFact;
}

export function restoreOf(doc: YamlDoc, claim: Claim, facts: Facts, defaultNamespace: string): Restore | undefined {
  const ref = claim.ref;
  if (!ref) return undefined;
  const namespace = claim.namespace ?? defaultNamespace;
  const snapshotNamespace = ref.namespace ?? namespace;
  return { doc, claim: { ...claim, ref }, namespace, snapshotNamespace, snapshot: facts.volumeSnapshot(snapshotNamespace, ref.name) };
}

/** Range of a node of the restore's document, in file coordinates. */
export function rangeIn(r: Restore, node: Node): Range {
  return rangeOf(r.doc, node);
}

/** The spec for CDI's render model, the namespace filled in. */
export function renderInput(r: Restore): PvcSpecInput {
  return { ...r.claim.spec, namespace: r.namespace };
}

/** What the PVC's class will be for Kubernetes itself: named, else the cluster default (not the virt default). */
export function plainStorageClass(claim: Claim, facts: Facts): StorageClassFact | undefined {
  const name = claim.spec.storageClassName;
  if (name === '') return undefined;
  return name === undefined ? platformDefaultStorageClass(facts.storageClasses(), 'isDefault') : facts.storageClass(name);
}

export function isStrict(provisioner: string | undefined, settings: Settings): boolean {
  return provisioner !== undefined && settings.strictProvisioners.includes(provisioner);
}

/** A claim's spec as CDI's render model reads it (core/cdi/render.ts PvcSpecInput), with what surrounds it. */
import type { PvcSpecInput } from '../cdi/render.js';
import { parseQuantity } from '../quantity.js';
import type { YamlPath } from '../yaml/documents.js';
import { scalarString, stringList, stringMap } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import type { ClaimIn } from './places.js';

export interface ClaimSpec {
  claim: ClaimIn;
  /** The claim's namespace: the object's, else the default. */
  namespace: string;
  input: PvcSpecInput;
  /** `resources.requests.storage` as written; `bytes` when it is a valid quantity. */
  request?: { text: string; bytes?: bigint };
  /** Around a DataVolume spec (`spec.storage`/`spec.pvc`, also in dataVolumeTemplates): its content type and source. */
  dataVolume?: { contentType?: string; cloneSource: boolean };
}

type Ref = NonNullable<PvcSpecInput['dataSourceRef']>;

function refAt(claim: ClaimIn, path: YamlPath, withNamespace: boolean): Ref | undefined {
  const d = claim.resource.doc;
  if (!walk(d, path)) return undefined;
  const field = (k: string) => scalarString(d, [...path, k]);
  const ref: Ref = {};
  const apiGroup = field('apiGroup');
  const kind = field('kind');
  const name = field('name');
  const namespace = withNamespace ? field('namespace') : undefined;
  if (apiGroup !== undefined) ref.apiGroup = apiGroup;
  if (kind !== undefined) ref.kind = kind;
  if (name !== undefined) ref.name = name;
  if (namespace !== undefined) ref.namespace = namespace;
  return ref;
}

/** Reads one claim; never throws (absent or odd fields are left out). */
export function readClaim(claim: ClaimIn, defaultNamespace: string): ClaimSpec {
  const d = claim.resource.doc;
  const s = (...rest: string[]) => [...claim.specPath, ...rest];
  const m = (...rest: string[]) => [...claim.metadataPath, ...rest];
  const namespace = claim.resource.namespace ?? defaultNamespace;
  const input: PvcSpecInput = { namespace, labels: stringMap(d, m('labels')), annotations: stringMap(d, m('annotations')) };
  const storageClassName = scalarString(d, s('storageClassName'));
  const accessModes = stringList(d, s('accessModes'));
  const volumeMode = scalarString(d, s('volumeMode'));
  const dataSource = refAt(claim, s('dataSource'), false);
  const dataSourceRef = refAt(claim, s('dataSourceRef'), true);
  if (storageClassName !== undefined) input.storageClassName = storageClassName;
  if (accessModes !== undefined) input.accessModes = accessModes;
  if (volumeMode !== undefined) input.volumeMode = volumeMode;
  if (dataSource) input.dataSource = dataSource;
  if (dataSourceRef) input.dataSourceRef = dataSourceRef;
  const out: ClaimSpec = { claim, namespace, input };
  const text = scalarString(d, s('resources', 'requests', 'storage'));
  if (text !== undefined) {
    const q = parseQuantity(text);
    out.request = q.ok ? { text, bytes: q.quantity.bytes } : { text };
    if (q.ok) input.requestBytes = q.quantity.bytes;
  }
  const flavour = claim.place.flavour;
  if (flavour === 'dv-storage' || flavour === 'dv-pvc') {
    // The DataVolume spec holding `storage` or `pvc`.
    const dv = claim.specPath.slice(0, -1);
    const contentType = scalarString(d, [...dv, 'contentType']);
    const cloneSource = walk(d, [...dv, 'source', 'pvc']) !== undefined || walk(d, [...dv, 'source', 'snapshot']) !== undefined;
    out.dataVolume = { cloneSource, ...(contentType === undefined ? {} : { contentType }) };
  }
  return out;
}

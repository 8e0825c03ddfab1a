/**
 * `snapshot-content-invalid`: a VolumeSnapshotContent the API server refuses, by the external-snapshotter CRD
 * (client/config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml, v8.6.0): `spec` with `deletionPolicy`
 * (Delete|Retain), `driver`, `source` and `volumeSnapshotRef` required; exactly one of `source.volumeHandle` and
 * `source.snapshotHandle`; both `volumeSnapshotRef.name` and `.namespace`; the string fields strings. Presence is the
 * API server's (apiFields.ts): a null field is not set, `""` is (`driver: ""` passes, an empty handle beside the
 * other is "both"). `status.restoreSize` must be an integer byte count, not a Quantity as on a VolumeSnapshot; the
 * API server drops the status of a created object (the status subresource), so that one is a warning: it refuses
 * it only in a status update.
 */
import { isScalar } from 'yaml';
import type { Resource } from '../resources.js';
import { walk } from '../yaml/navigate.js';
import { notAString, present, refusalFindings, sentType, type Refusal } from './apiFields.js';
import { field, keyRange } from './storageFields.js';
import type { Rule } from './rule.js';

const RULE = 'snapshot-content-invalid';

/** The string fields of the spec, by path, that kubectl may send as another type. */
const STRINGS: readonly (readonly string[])[] = [
  ['deletionPolicy'],
  ['driver'],
  ['source', 'volumeHandle'],
  ['source', 'snapshotHandle'],
  ['sourceVolumeMode'],
  ['volumeSnapshotClassName'],
  ['volumeSnapshotRef', 'name'],
  ['volumeSnapshotRef', 'namespace'],
];

function problems(r: Resource): Refusal[] {
  const out: Refusal[] = [];
  const at = (...path: string[]) => keyRange(r, ...path);
  const spec = sentType(r, 'spec');
  if (spec !== 'object') return [{ what: spec === undefined || spec === 'null' ? 'has no spec (required)' : 'has a spec that is not a map', range: at('spec') ?? at('kind'), field: 'spec' }];
  const specRange = at('spec');
  for (const key of ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef']) {
    if (!present(sentType(r, 'spec', key))) out.push({ what: `has no spec.${key} (required)`, range: specRange, field: `spec.${key}` });
    else if ((key === 'source' || key === 'volumeSnapshotRef') && sentType(r, 'spec', key) !== 'object') out.push({ what: `has a spec.${key} that is not a map`, range: at('spec', key), field: `spec.${key}` });
  }
  for (const path of STRINGS) {
    const why = notAString(r, 'spec', ...path);
    if (why) out.push({ what: `has spec.${path.join('.')} that ${why}`, range: at('spec', ...path), field: `spec.${path.join('.')}` });
  }
  const policy = field(r, 'spec', 'deletionPolicy');
  if (policy !== undefined && sentType(r, 'spec', 'deletionPolicy') === 'string' && policy !== 'Delete' && policy !== 'Retain') {
    out.push({ what: `has spec.deletionPolicy ${JSON.stringify(policy)}: it must be Delete or Retain`, range: keyRange(r, 'spec', 'deletionPolicy'), field: 'spec.deletionPolicy' });
  }
  if (sentType(r, 'spec', 'source') === 'object') {
    const volume = present(sentType(r, 'spec', 'source', 'volumeHandle'));
    const snapshot = present(sentType(r, 'spec', 'source', 'snapshotHandle'));
    if (volume === snapshot) {
      const what = volume
        ? 'sets both spec.source.volumeHandle and spec.source.snapshotHandle (an empty one is set too): exactly one must be set (volumeHandle for a snapshot to take, snapshotHandle for an existing one)'
        : 'sets neither spec.source.volumeHandle nor spec.source.snapshotHandle (a null one is not set): exactly one must be set (snapshotHandle for an existing snapshot)';
      out.push({ what, range: at('spec', 'source'), field: 'spec.source' });
    }
  }
  if (sentType(r, 'spec', 'volumeSnapshotRef') === 'object') {
    const missing = ['name', 'namespace'].filter((k) => !present(sentType(r, 'spec', 'volumeSnapshotRef', k)));
    if (missing.length > 0) {
      out.push({
        what: `has no spec.volumeSnapshotRef.${missing.join(' nor .')}: both name and namespace of the VolumeSnapshot must be set`,
        range: at('spec', 'volumeSnapshotRef'),
        field: 'spec.volumeSnapshotRef',
      });
    }
  }
  const size = walk(r.doc, [...r.base, 'status', 'restoreSize'])?.node;
  if (size !== undefined && !(isScalar(size) && (typeof size.value === 'bigint' || (typeof size.value === 'number' && Number.isInteger(size.value) && size.value >= 0)))) {
    out.push({
      what: `has status.restoreSize ${isScalar(size) ? JSON.stringify(String(size.value)) : 'that is not a number'}: on a VolumeSnapshotContent it is an integer count of bytes (minimum 0), not a quantity such as "10Gi". The API server keeps no status given on create (it drops it), and refuses this one in a status update`,
      range: at('status', 'restoreSize'),
      field: 'status.restoreSize',
      warning: true,
    });
  }
  return out;
}

export const snapshotContentInvalid: Rule = {
  id: RULE,
  defaultSeverity: 'error',
  title: 'VolumeSnapshotContent the API server refuses',
  description:
    'A VolumeSnapshotContent without deletionPolicy (Delete|Retain), driver, source or volumeSnapshotRef (name and namespace), with both or neither of source.volumeHandle and source.snapshotHandle (an empty one is set, a null one is not), or with a string field kubectl sends as a boolean or a number (YAML 1.1 reads an unquoted n or off so): the CRD refuses it. A status.restoreSize that is not an integer byte count is a warning (the API server drops a created object\'s status).',
  reads: 'document',
  kinds: ['VolumeSnapshotContent'],
  run(ctx) {
    return refusalFindings(ctx, RULE, 'VolumeSnapshotContent', problems);
  },
};

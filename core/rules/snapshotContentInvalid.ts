/**
 * `snapshot-content-invalid`: a VolumeSnapshotContent the API server refuses, by the external-snapshotter CRD
 * (client/config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml, v8.6.0): `spec` with `deletionPolicy`
 * (Delete|Retain), `driver`, `source` and `volumeSnapshotRef` required; exactly one of `source.volumeHandle` and
 * `source.snapshotHandle`; both `volumeSnapshotRef.name` and `.namespace`; `status.restoreSize` an integer byte
 * count (minimum 0), not a Quantity as on a VolumeSnapshot.
 */
import { isMap, isScalar } from 'yaml';
import type { Resource } from '../resources.js';
import type { Finding, Range } from '../types.js';
import { walk } from '../yaml/navigate.js';
import { field, keyRange } from './storageFields.js';
import type { Rule } from './rule.js';

const RULE = 'snapshot-content-invalid';

/** What is wrong, and where to say it. */
interface Problem {
  what: string;
  range: Range | undefined;
  field: string;
}

/** A non-empty scalar (a null or empty value is as absent to the API server's `required`). */
function has(r: Resource, ...path: string[]): boolean {
  const v = field(r, ...path);
  return v !== undefined && v !== '';
}

function hasMap(r: Resource, ...path: string[]): boolean {
  return isMap(walk(r.doc, [...r.base, ...path])?.node);
}

function problems(r: Resource): Problem[] {
  const out: Problem[] = [];
  const at = (...path: string[]) => keyRange(r, ...path);
  const kindRange = at('kind');
  if (!hasMap(r, 'spec')) return [{ what: 'has no spec (required)', range: at('spec') ?? kindRange, field: 'spec' }];
  const specRange = at('spec');
  for (const key of ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef']) {
    if (!(key === 'source' || key === 'volumeSnapshotRef' ? hasMap(r, 'spec', key) : has(r, 'spec', key))) out.push({ what: `has no spec.${key} (required)`, range: specRange, field: `spec.${key}` });
  }
  const policy = field(r, 'spec', 'deletionPolicy');
  if (policy !== undefined && policy !== 'Delete' && policy !== 'Retain') {
    out.push({ what: `has spec.deletionPolicy ${JSON.stringify(policy)}: it must be Delete or Retain`, range: keyRange(r, 'spec', 'deletionPolicy'), field: 'spec.deletionPolicy' });
  }
  if (hasMap(r, 'spec', 'source')) {
    const volume = has(r, 'spec', 'source', 'volumeHandle');
    const snapshot = has(r, 'spec', 'source', 'snapshotHandle');
    if (volume === snapshot) {
      const what = volume
        ? 'sets both spec.source.volumeHandle and spec.source.snapshotHandle: exactly one must be set (volumeHandle for a snapshot to take, snapshotHandle for an existing one)'
        : 'sets neither spec.source.volumeHandle nor spec.source.snapshotHandle: exactly one must be set (snapshotHandle for an existing snapshot)';
      out.push({ what, range: at('spec', 'source'), field: 'spec.source' });
    }
  }
  if (hasMap(r, 'spec', 'volumeSnapshotRef')) {
    const missing = ['name', 'namespace'].filter((k) => !has(r, 'spec', 'volumeSnapshotRef', k));
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
      what: `has status.restoreSize ${isScalar(size) ? JSON.stringify(String(size.value)) : 'that is not a number'}: on a VolumeSnapshotContent it is an integer count of bytes (minimum 0), not a quantity such as "10Gi"`,
      range: at('status', 'restoreSize'),
      field: 'status.restoreSize',
    });
  }
  return out;
}

export const snapshotContentInvalid: Rule = {
  id: RULE,
  defaultSeverity: 'error',
  title: 'VolumeSnapshotContent the API server refuses',
  description:
    'A VolumeSnapshotContent without deletionPolicy (Delete|Retain), driver, source or volumeSnapshotRef (name and namespace), with both or neither of source.volumeHandle and source.snapshotHandle, or with a status.restoreSize that is not an integer byte count: the CRD refuses it.',
  reads: 'document',
  kinds: ['VolumeSnapshotContent'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      // v1beta1 and older are snapshot-api-unserved's.
      if (r.kind !== 'VolumeSnapshotContent' || r.version !== 'v1') continue;
      for (const p of problems(r)) {
        if (!p.range) continue;
        out.push({
          rule: RULE,
          severity: 'error',
          message: `VolumeSnapshotContent ${r.name ?? ''} ${p.what}; the API server refuses it.`.replace(/ {2,}/g, ' '),
          file: ctx.file,
          range: p.range,
          data: { field: p.field },
        });
      }
    }
    return out;
  },
};

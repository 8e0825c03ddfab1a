/**
 * `snapshot-invalid`: a VolumeSnapshot the API server refuses, by external-snapshotter's v1 CRD
 * (client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml, the same in v8.3–v8.6): `spec` and
 * `spec.source` required; the CEL rule "exactly one of volumeSnapshotContentName and persistentVolumeClaimName must
 * be set"; `volumeSnapshotClassName` "must not be the empty string when set"; the three names of `type: string`.
 * Presence is the API server's (apiFields.ts): a null name is not set, `""` is.
 */
import { isScalar } from 'yaml';
import type { Resource } from '../resources.js';
import { walkNode } from '../yaml/navigate.js';
import { notAStringNode, present, refusalFindings, sentTypeOf, type Refusal } from './apiFields.js';
import { keyRange } from './storageFields.js';
import type { Rule } from './rule.js';

const RULE = 'snapshot-invalid';

const NAMES = ['persistentVolumeClaimName', 'volumeSnapshotContentName'] as const;

/** Walks from the spec's and the source's nodes, not from the document each time: every VolumeSnapshot is read. */
function problems(r: Resource): Refusal[] {
  const d = r.doc;
  const at = (...path: string[]) => keyRange(r, ...path);
  const specNode = walkNode(d, [...r.base, 'spec']);
  const spec = sentTypeOf(d, specNode);
  if (spec !== 'object') {
    const what = spec === undefined || spec === 'null' ? 'has no spec (required)' : 'has a spec that is not a map';
    return [{ what, range: at('spec') ?? at('kind'), field: 'spec' }];
  }
  const out: Refusal[] = [];
  const sourceNode = walkNode(d, ['source'], specNode);
  const source = sentTypeOf(d, sourceNode);
  if (source === undefined || source === 'null') out.push({ what: 'has no spec.source (required): it names the PersistentVolumeClaim to snapshot, or the VolumeSnapshotContent of an existing snapshot', range: at('spec'), field: 'spec.source' });
  else if (source !== 'object') out.push({ what: 'has a spec.source that is not a map', range: at('spec', 'source'), field: 'spec.source' });
  else {
    const names = NAMES.map((k) => walkNode(d, [k], sourceNode));
    const [claim, content] = names.map((n) => present(sentTypeOf(d, n)));
    if (claim === content) {
      const what = claim
        ? 'sets both spec.source.persistentVolumeClaimName and spec.source.volumeSnapshotContentName: exactly one must be set (the claim to take a snapshot of, or the content of an existing snapshot)'
        : 'sets neither spec.source.persistentVolumeClaimName nor spec.source.volumeSnapshotContentName (a null value is not set): exactly one must be';
      out.push({ what, range: at('spec', 'source'), field: 'spec.source' });
    }
    NAMES.forEach((k, i) => {
      const why = notAStringNode(d, names[i]);
      if (why) out.push({ what: `has spec.source.${k} that ${why}`, range: at('spec', 'source', k), field: `spec.source.${k}` });
    });
  }
  const classNode = walkNode(d, ['volumeSnapshotClassName'], specNode);
  const classWhy = notAStringNode(d, classNode);
  if (classWhy) out.push({ what: `has spec.volumeSnapshotClassName that ${classWhy}`, range: at('spec', 'volumeSnapshotClassName'), field: 'spec.volumeSnapshotClassName' });
  else if (isScalar(classNode) && classNode.value === '') {
    out.push({
      what: 'has spec.volumeSnapshotClassName "", which must not be the empty string when set: leave it out for the default class of the driver',
      range: at('spec', 'volumeSnapshotClassName'),
      field: 'spec.volumeSnapshotClassName',
    });
  }
  return out;
}

export const snapshotInvalid: Rule = {
  id: RULE,
  defaultSeverity: 'error',
  title: 'VolumeSnapshot the API server refuses',
  description:
    'A VolumeSnapshot without spec.source, with both or neither of source.persistentVolumeClaimName and source.volumeSnapshotContentName (a null one is not set), with volumeSnapshotClassName "", or with a name kubectl sends as a boolean or a number (YAML 1.1 reads an unquoted no, off or n so): the CRD refuses it.',
  reads: 'document',
  kinds: ['VolumeSnapshot'],
  run(ctx) {
    return refusalFindings(ctx, RULE, 'VolumeSnapshot', problems);
  },
};

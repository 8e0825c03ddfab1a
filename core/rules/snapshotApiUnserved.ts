/**
 * `snapshot-api-unserved`: a VolumeSnapshot, VolumeSnapshotClass or VolumeSnapshotContent at
 * snapshot.storage.k8s.io/v1beta1 (or v1alpha1). The external-snapshotter's CRDs serve v1 only (v1beta1 is
 * `served: false`), so the API server refuses the manifest; examples that still say v1beta1 (the PD driver's)
 * will not apply.
 */
import { kinds as registry } from '../kinds/index.js';
import type { Finding } from '../types.js';
import { locate, scalarString, type YamlDoc } from '../yaml/documents.js';
import { setValueFix } from './storageFields.js';
import type { Rule } from './rule.js';

const kinds = ['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent'] as const;
const SNAPSHOT_API_GROUP = registry.VolumeSnapshot.group;
const KIND = ['kind'];
const API_VERSION = ['apiVersion'];
const ROOT: readonly (string | number)[][] = [[]];
const unserved = new Set([`${SNAPSHOT_API_GROUP}/v1beta1`, `${SNAPSHOT_API_GROUP}/v1alpha1`]);

export const snapshotApiUnserved: Rule = {
  id: 'snapshot-api-unserved',
  defaultSeverity: 'error',
  title: 'Snapshot API version no longer served',
  description: 'A VolumeSnapshot, VolumeSnapshotClass or VolumeSnapshotContent at snapshot.storage.k8s.io/v1beta1 or v1alpha1: the CRDs serve v1 only, so the API server refuses it.',
  reads: 'document',
  kinds: [...kinds],
  run(ctx) {
    const out: Finding[] = [];
    // Every object of the document, the items of a List too (v1alpha1 is not recognised as a resource at all).
    // The rule runs on every document: a plain one's paths are made once (ROOT, KIND, API_VERSION), and its kind is
    // read only when its apiVersion is an unserved one.
    const bases: readonly (string | number)[][] = scalarString(ctx.doc, KIND)?.endsWith('List') ? itemBases(ctx.doc) : ROOT;
    for (const base of bases) {
      const apiVersion = scalarString(ctx.doc, base.length === 0 ? API_VERSION : [...base, 'apiVersion']);
      if (!apiVersion || !unserved.has(apiVersion)) continue;
      const kind = scalarString(ctx.doc, [...base, 'kind']);
      if (!(kinds as readonly string[]).includes(kind ?? '')) continue;
      const at = locate(ctx.doc, [...base, 'apiVersion']);
      if (!at) continue;
      out.push({
        rule: 'snapshot-api-unserved',
        severity: 'error',
        message: `${kind} ${scalarString(ctx.doc, [...base, 'metadata', 'name']) ?? ''}: ${apiVersion} is no longer served (the snapshot CRDs serve v1 only); the API server refuses it. Use ${SNAPSHOT_API_GROUP}/v1: its fields are the same.`.replace(/ {2,}/g, ' '),
        file: ctx.file,
        range: at.range,
        fixes: setValueFix(ctx.doc, [...base, 'apiVersion'], `${SNAPSHOT_API_GROUP}/v1`, `Change to ${SNAPSHOT_API_GROUP}/v1`),
        data: { apiVersion },
      });
    }
    return out;
  },
};

function itemBases(d: YamlDoc): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (let i = 0; i < 10_000 && locate(d, ['items', i]); i++) out.push(['items', i]);
  return out;
}

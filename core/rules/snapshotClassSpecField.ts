/**
 * `snapshotclass-spec-field`: a VolumeSnapshotClass with a `spec:`. It has none: `driver`, `deletionPolicy` and
 * `parameters` are top-level (external-snapshotter's CRD), so the API server refuses it for the missing
 * `driver`/`deletionPolicy`, or, with them top-level too, drops what is under `spec` without a word.
 */
import { isMap } from 'yaml';
import type { Finding, Fix } from '../types.js';
import type { YamlDoc } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import { entries, field, keyRange } from './storageFields.js';
import type { Rule } from './rule.js';

/** Replaces the `spec:` entry by its children, dedented to its own column, when nothing they hold is also top-level. */
function hoistFix(d: YamlDoc, base: (string | number)[]): Fix | undefined {
  const hit = walk(d, [...base, 'spec']);
  if (!hit || hit.shared || !isMap(hit.node) || hit.node.flow || !hit.pair || !hit.pair.key) return undefined;
  const top = new Set(entries(d, base).map((e) => e.key));
  const children = entries(d, [...base, 'spec']);
  if (children.length === 0 || children.some((c) => top.has(c.key))) return undefined;
  const keyNode = hit.pair.key as { range?: [number, number, number] };
  if (!keyNode.range || !hit.node.range) return undefined;
  const text = d.text;
  const lineStart = (o: number): number => text.lastIndexOf('\n', o - 1) + 1;
  const specStart = lineStart(keyNode.range[0]);
  const specColumn = keyNode.range[0] - specStart;
  const first = hit.node.range[0];
  const childColumn = first - lineStart(first);
  if (childColumn <= specColumn || text.slice(specStart, keyNode.range[0]).trim() !== '') return undefined;
  const end = hit.node.range[1];
  const body = text.slice(lineStart(first), end).replace(/\s+$/, '');
  const cut = childColumn - specColumn;
  const lines = body.split('\n').map((l) => (l.slice(0, cut).trim() === '' ? l.slice(cut) : l));
  const endLine = text.indexOf('\n', end - 1);
  return { title: 'Move driver, deletionPolicy and parameters out of spec', preferred: true, edits: [{ range: d.toRange(specStart, endLine < 0 ? text.length : endLine + 1), newText: `${lines.join('\n')}\n` }] };
}

export const snapshotClassSpecField: Rule = {
  id: 'snapshotclass-spec-field',
  defaultSeverity: 'error',
  title: 'VolumeSnapshotClass with a spec',
  description: 'A VolumeSnapshotClass has no spec: driver, deletionPolicy and parameters are top-level. With a spec the API server refuses it (driver and deletionPolicy are required) or drops its parameters.',
  reads: 'document',
  kinds: ['VolumeSnapshotClass'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'VolumeSnapshotClass') continue;
      const range = keyRange(r, 'spec');
      if (!range) continue;
      const missing = ['driver', 'deletionPolicy'].filter((k) => field(r, k) === undefined);
      const fix = hoistFix(r.doc, r.base);
      out.push({
        rule: 'snapshotclass-spec-field',
        severity: 'error',
        message: `VolumeSnapshotClass ${r.name ?? ''} has a spec, which the kind does not have: driver, deletionPolicy and parameters are top-level. ${missing.length > 0 ? `The API server refuses it: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required at the top level.` : 'The API server drops everything under spec.'}`.replace(/ {2,}/g, ' '),
        file: ctx.file,
        range,
        ...(fix ? { fixes: [fix] } : {}),
        data: { missing: missing.join(',') },
      });
    }
    return out;
  },
};

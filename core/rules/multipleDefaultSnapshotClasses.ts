/**
 * `multiple-default-snapshot-classes` in manifests (the doctor reports it on clusters): a VolumeSnapshotClass
 * marked default while another class of its driver is too, among the analysed files and the connected cluster.
 * The snapshot controller refuses to choose ("%d default snapshot classes were found"), so every snapshot that
 * names no class fails.
 */
import { multipleDefaultSnapshotClasses as doctorCheck } from '../doctor/defaults.js';
import { ANNOTATION } from '../kinds/index.js';
import type { Finding } from '../types.js';
import { field, fieldRange, setValueFix, snapshotClassesByName, whereFound } from './storageFields.js';
import type { Rule } from './rule.js';

export const multipleDefaultSnapshotClasses: Rule = {
  id: doctorCheck.id,
  defaultSeverity: doctorCheck.defaultSeverity,
  title: doctorCheck.title,
  description: doctorCheck.description,
  reads: 'facts',
  kinds: ['VolumeSnapshotClass'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'VolumeSnapshotClass' || !r.name) continue;
      const path = ['metadata', 'annotations', ANNOTATION.defaultSnapshotClass];
      if (field(r, ...path) !== 'true') continue;
      const driver = field(r, 'driver');
      const others = snapshotClassesByName(ctx.facts.volumeSnapshotClasses?.() ?? []).filter((c) => c.name !== r.name && c.isDefault && c.driver === driver);
      const range = fieldRange(r, ...path);
      if (others.length === 0 || !range) continue;
      out.push({
        rule: doctorCheck.id,
        severity: 'error',
        message: `VolumeSnapshotClass ${r.name} is a default of driver ${driver ?? '(none)'}, and so ${others.length === 1 ? 'is' : 'are'} ${others.map((c) => `${c.name}${whereFound(c)}`).join(', ')}: snapshots that name no class fail ("${others.length + 1} default snapshot classes were found"), VM snapshots included. Keep one default per driver.`,
        file: ctx.file,
        range,
        fixes: setValueFix(r.doc, [...r.base, ...path], 'false', `Set ${ANNOTATION.defaultSnapshotClass} to "false"`, false),
        data: { driver: driver ?? '', classes: [r.name, ...others.map((c) => c.name)].sort().join(',') },
      });
    }
    return out;
  },
};

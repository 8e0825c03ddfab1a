/**
 * `storageprofile-snapshotclass-missing`: a StorageProfile names a VolumeSnapshotClass that does not exist.
 * CDI looks the named class up (GetVolumeSnapshotClass, pkg/controller/common/util.go at c07cdb6) and fails
 * the profile's reconcile while it is missing; golden-image snapshots that name it fail too.
 */
import type { SnapshotClassFact } from '../facts.js';
import type { Finding } from '../types.js';
import { namedSnapshotClasses } from './storageProfileSnapshotClass.js';
import { clusterKnown, snapshotClass, snapshotClassesByName } from './storageFields.js';
import type { Rule } from './rule.js';

export const storageProfileSnapshotClassMissing: Rule = {
  id: 'storageprofile-snapshotclass-missing',
  defaultSeverity: 'error',
  title: 'StorageProfile names a missing VolumeSnapshotClass',
  description: 'A StorageProfile (spec.snapshotClass, or the snapshotClassForDataImportCron annotation) names a VolumeSnapshotClass that is in none of the analysed files nor the connected cluster: CDI cannot use it, and snapshots that name it fail.',
  reads: 'facts',
  kinds: ['StorageProfile', 'VolumeSnapshotClass'],
  run(ctx) {
    const out: Finding[] = [];
    // Every document's rules run this one: the class lists are read only for a missing class, so that the other
    // documents neither build them (two lists with a Set each, per document) nor depend on every class.
    let known: SnapshotClassFact[] | undefined;
    let fromCluster = false;
    for (const r of ctx.resources) {
      if (r.kind !== 'StorageProfile') continue;
      for (const n of namedSnapshotClasses(r)) {
        if (snapshotClass(ctx.facts, n.name)) continue;
        if (!known) {
          known = snapshotClassesByName(ctx.facts.volumeSnapshotClasses?.() ?? []);
          fromCluster = clusterKnown(ctx.facts);
        }
        const where = fromCluster ? 'the connected cluster has no such class' : known.length > 0 ? 'it is in none of the analysed files (no cluster is connected to look in)' : 'no VolumeSnapshotClass is among the analysed files and no cluster is connected';
        out.push({
          rule: 'storageprofile-snapshotclass-missing',
          severity: fromCluster ? 'error' : known.length > 0 ? 'warning' : 'info',
          message: `StorageProfile ${r.name ?? ''} ${n.describe} names VolumeSnapshotClass ${n.name}, but ${where}. CDI fails to reconcile a profile whose class is missing, and snapshots naming it fail.${known.length > 0 ? ` Known classes: ${known.map((c) => c.name).join(', ')}.` : ''}`,
          file: ctx.file,
          range: n.range,
          data: { snapshotClass: n.name, field: n.describe },
        });
      }
    }
    return out;
  },
};

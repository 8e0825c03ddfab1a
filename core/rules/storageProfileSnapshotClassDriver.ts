/**
 * `storageprofile-snapshotclass-driver`: a StorageProfile names a VolumeSnapshotClass of another driver than
 * its StorageClass's provisioner. CDI takes the named class only when `vsc.Driver` is the provisioner
 * (GetVolumeSnapshotClass, pkg/controller/common/util.go at c07cdb6); otherwise it has no snapshot class:
 * clones fall back to host-assisted copies and golden images to PVCs, without a word.
 */
import type { Finding } from '../types.js';
import { namedSnapshotClasses } from './storageProfileSnapshotClass.js';
import { snapshotClass, whereFound } from './storageFields.js';
import type { Rule } from './rule.js';

export const storageProfileSnapshotClassDriver: Rule = {
  id: 'storageprofile-snapshotclass-driver',
  defaultSeverity: 'error',
  title: "StorageProfile names another driver's VolumeSnapshotClass",
  description: "A StorageProfile names a VolumeSnapshotClass whose driver is not its StorageClass's provisioner: CDI ignores it, so clones become host-assisted copies and golden images PVCs.",
  reads: 'facts',
  kinds: ['StorageProfile', 'StorageClass', 'VolumeSnapshotClass'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'StorageProfile' || !r.name) continue;
      const sc = ctx.facts.storageClass(r.name);
      if (!sc?.provisioner) continue;
      for (const n of namedSnapshotClasses(r)) {
        const vsc = snapshotClass(ctx.facts, n.name);
        if (!vsc?.driver || vsc.driver === sc.provisioner) continue;
        out.push({
          rule: 'storageprofile-snapshotclass-driver',
          severity: 'error',
          message: `StorageProfile ${r.name} ${n.describe} names VolumeSnapshotClass ${n.name}${whereFound(vsc)} of driver ${vsc.driver}, but StorageClass ${r.name}${whereFound(sc)} is provisioned by ${sc.provisioner}: CDI ignores the class, so clones become host-assisted copies and golden images stay PVCs.`,
          file: ctx.file,
          range: n.range,
          data: { snapshotClass: n.name, driver: vsc.driver, provisioner: sc.provisioner },
        });
      }
    }
    return out;
  },
};

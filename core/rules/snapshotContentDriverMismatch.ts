/**
 * `snapshot-content-driver-mismatch`: a VolumeSnapshotContent whose `spec.driver` is not the driver of its
 * VolumeSnapshotClass. The CSI snapshotter sidecar of a driver handles a content only when both its `driver` and
 * its class's `driver` are its own (external-snapshotter v8.6.0 pkg/sidecar-controller/snapshot_controller_base.go,
 * `isDriverMatch`): no sidecar takes this one, so it never reports readyToUse or a restoreSize.
 * The class is the content's `spec.volumeSnapshotClassName`, except that binding a pre-provisioned content (its
 * ref uid still empty) to a snapshot that names a class sets the class to the snapshot's
 * (common-controller `checkandBindSnapshotContent`).
 */
import type { Finding } from '../types.js';
import { field, fieldRange, snapshotClass, whereFound } from './storageFields.js';
import type { Rule } from './rule.js';

const RULE = 'snapshot-content-driver-mismatch';

export const snapshotContentDriverMismatch: Rule = {
  id: RULE,
  defaultSeverity: 'warning',
  title: "VolumeSnapshotContent driver is not its snapshot class's",
  description:
    "A VolumeSnapshotContent's spec.driver differs from the driver of its VolumeSnapshotClass: no CSI snapshotter sidecar handles it, so it never becomes ready and reports no restoreSize.",
  reads: 'facts',
  kinds: ['VolumeSnapshotContent', 'VolumeSnapshotClass', 'VolumeSnapshot'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'VolumeSnapshotContent' || r.version !== 'v1') continue;
      const driver = field(r, 'spec', 'driver');
      if (!driver || !r.name) continue;
      const own = field(r, 'spec', 'volumeSnapshotClassName');
      const uid = field(r, 'spec', 'volumeSnapshotRef', 'uid');
      const refName = field(r, 'spec', 'volumeSnapshotRef', 'name');
      const refNs = field(r, 'spec', 'volumeSnapshotRef', 'namespace');
      const snap = refName && refNs ? ctx.facts.volumeSnapshot(refNs, refName) : undefined;
      // checkandBindSnapshotContent patches the snapshot's class in while the ref has no uid (or the content no class).
      const fromSnapshot = snap?.contentName === r.name && snap.volumeSnapshotClassName && (!uid || !own) ? snap.volumeSnapshotClassName : undefined;
      const className = fromSnapshot ?? own;
      const cls = className ? snapshotClass(ctx.facts, className) : undefined;
      if (!cls?.driver || cls.driver === driver) continue;
      const range = fieldRange(r, 'spec', 'driver');
      if (!range) continue;
      const via = fromSnapshot ? ` (the class of VolumeSnapshot ${refNs}/${refName}, which binding sets on the content)` : '';
      out.push({
        rule: RULE,
        severity: 'warning',
        message:
          `VolumeSnapshotContent ${r.name} has driver ${driver}, but its VolumeSnapshotClass ${cls.name}${whereFound(cls)}${via} has driver ${cls.driver}: ` +
          `the CSI snapshotter sidecar handles a content only when both are its driver, so none takes this one and it never becomes ready nor reports a restoreSize. Use driver ${cls.driver}, or a class of driver ${driver}.`,
        file: ctx.file,
        range,
        data: { driver, snapshotClass: cls.name, classDriver: cls.driver },
      });
    }
    return out;
  },
};

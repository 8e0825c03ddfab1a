// core/volumeResize/progress.ts: the timeline from watched versions (each step's time, the running one open,
// a watch that began late said so), the grid's PVCs and PVs before and after the swap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVolumeResize, type VolumeResizeView } from '../../core/volumeResize/model.js';
import { humanDuration, progressGrid, timeline } from '../../core/volumeResize/progress.js';

const vr = (status: object): VolumeResizeView =>
  readVolumeResize({ metadata: { name: 'shrink', namespace: 'shop' }, spec: { statefulSetName: 'db', volumes: [{ name: 'data', newSize: '4Gi' }] }, status })!;
const t0 = Date.parse('2026-01-28T10:00:00Z');

test('the timeline: a step per change of phase, replica, volume or message, and per cell; durations until the next', () => {
  const cells = (p0: string, p1: string) => [{ volumeName: 'data', replica: 0, phase: p0 }, { volumeName: 'data', replica: 1, phase: p1 }];
  const obs = [
    { at: t0, vr: vr({}) },
    { at: t0 + 1000, vr: vr({ phase: 'Validating', message: 'Starting validation', startTime: '2026-01-28T10:00:01Z' }) },
    { at: t0 + 2000, vr: vr({ phase: 'Syncing', currentReplica: 0, currentVolume: 'data', message: 'Validation complete, starting sync', volumeStatuses: cells('Pending', 'Pending') }) },
    { at: t0 + 2500, vr: vr({ phase: 'Syncing', currentReplica: 0, currentVolume: 'data', message: 'Validation complete, starting sync', volumeStatuses: cells('Pending', 'Pending'), backupConfigMapName: 'shrink-sts-backup' }) },
    { at: t0 + 62_000, vr: vr({ phase: 'Syncing', currentReplica: 1, currentVolume: 'data', message: 'Migrating replica 1 volume data', volumeStatuses: cells('Completed', 'Pending') }) },
  ];
  const tl = timeline(obs, t0 + 70_000);
  assert.deepEqual(tl.map((e) => [e.what, e.elapsedMs, e.open]), [
    ['Pending', 1000, false],
    ['Validating: Starting validation', 1000, false],
    ['Syncing · replica 0 × data: Validation complete, starting sync', 60_000, false],
    ['Syncing · replica 1 × data: Migrating replica 1 volume data', 0, false],
    ['replica 0 × data: Completed', 8000, true],
  ]);
  const done = [...obs, { at: t0 + 90_000, vr: vr({ phase: 'Completed', message: 'Migration completed successfully', completionTime: '2026-01-28T10:01:30Z', volumeStatuses: cells('Completed', 'Completed') }) }];
  const end = timeline(done, t0 + 500_000);
  assert.equal(end.some((e) => e.open), false, 'nothing runs once Completed');
  assert.deepEqual(end.slice(-2).map((e) => [e.what, e.elapsedMs]), [['Completed: Migration completed successfully', 0], ['replica 1 × data: Completed', 0]]);
});

test('a watch that began mid-way says so, and starts from status.startTime', () => {
  const tl = timeline([{ at: t0 + 30_000, vr: vr({ phase: 'Syncing', currentReplica: 2, currentVolume: 'data', message: 'Migrating replica 2 volume data', startTime: '2026-01-28T10:00:00Z' }) }], t0 + 40_000);
  assert.deepEqual(tl.map((e) => [e.what.replace(/ \(first seen.*\)$/, ' (late)'), e.elapsedMs, e.open]), [
    ['Started (status.startTime)', 30_000, false],
    ['Syncing · replica 2 × data: Migrating replica 2 volume data (late)', 10_000, true],
  ]);
  assert.deepEqual(timeline([], 0), []);
});

test('the grid: the old PV from the status, the copy on the temporary PVC, after the swap the original name on the new PV', () => {
  const bound: Record<string, string> = { 'data-db-0': 'pv-new-0', 'data-db-1': 'pv-old-1', 'data-db-1-new': 'pv-new-1' };
  const lookup = (_ns: string, n: string) => (bound[n] ? { volumeName: bound[n] } : undefined);
  const g = progressGrid(
    vr({ phase: 'Syncing', currentReplica: 1, currentVolume: 'data', volumeStatuses: [{ volumeName: 'data', replica: 0, phase: 'Completed', oldPVName: 'pv-old-0' }, { volumeName: 'data', replica: 1, phase: 'Syncing', oldPVName: 'pv-old-1' }] }),
    2,
    lookup,
  );
  assert.deepEqual(g, [
    { replica: 0, volume: 'data', phase: 'Completed', current: false, oldPvc: 'data-db-0', newPvc: 'data-db-0-new', oldPv: 'pv-old-0', newPv: 'pv-new-0' },
    { replica: 1, volume: 'data', phase: 'Syncing', current: true, oldPvc: 'data-db-1', newPvc: 'data-db-1-new', oldPv: 'pv-old-1', newPv: 'pv-new-1' },
  ]);
  // Before validation: the spec's volumes for the StatefulSet's replicas, all Pending.
  assert.deepEqual(progressGrid(vr({}), 2, lookup).map((c) => `${c.replica}/${c.volume}:${c.phase}:${c.oldPv ?? '-'}`), ['0/data:Pending:pv-new-0', '1/data:Pending:pv-old-1']);
  assert.deepEqual([humanDuration(850), humanDuration(12_400), humanDuration(184_000), humanDuration(7_500_000)], ['850 ms', '12 s', '3 min 4 s', '2 h 5 min']);
});

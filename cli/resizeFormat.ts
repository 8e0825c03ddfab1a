/**
 * `kvstorage resize list|status|watch|describe` print what migcontroller's `volmig` prints (cmd/volmig/cmd/list.go,
 * status.go, watch.go, describe.go at 1ffafc1; facts §2.4): the same columns, icons, cut-off messages, ages and
 * durations, laid out as Go's tabwriter (padding 2) does. Pure: the clock and the time zone come in as arguments.
 */
import { gridOf, shownPhase, type VolumeResizeView } from '../core/volumeResize/model.js';

/** How times print: volmig's `2006-01-02 15:04:05` in the local zone, and `15:04:05` for watch lines. */
export interface Clock {
  now: Date;
  /** `2006-01-02 15:04:05` of an RFC 3339 time, in the zone the user reads. */
  dateTime(iso: string): string;
  /** `15:04:05` of a moment. */
  time(at: Date): string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The local zone's clock (the command line's). */
export function localClock(now = new Date()): Clock {
  const dt = (d: Date) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return { now, dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : dt(new Date(iso))), time: (d) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` };
}

/** The same in UTC (tests, and anyone who sets it). */
export function utcClock(now = new Date()): Clock {
  return { now, dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : new Date(iso).toISOString().replace('T', ' ').slice(0, 19)), time: (d) => d.toISOString().slice(11, 19) };
}

/** Go's tabwriter with padding 2: every cell but a line's last padded to its column's widest (counted in runes). */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const len = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, len(c))));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat((widths[i] ?? 0) - len(c) + 2) : c)).join('').trimEnd()).join('\n') + (rows.length > 0 ? '\n' : '');
}

/** volmig's `formatAge`. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Go's time.Duration String() for whole seconds: `45s`, `1m30s`, `2h0m5s`. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total === 0) return '0s';
  const sign = total < 0 ? '-' : '';
  let s = Math.abs(total);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h > 0 ? `${sign}${h}h${m}m${s}s` : m > 0 ? `${sign}${m}m${s}s` : `${sign}${s}s`;
}

/** A message cut as volmig cuts it (bytes in Go; characters here): `max - 3` then `...`. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function phaseIcon(phase: string): string {
  return phase === 'Completed' ? '✅' : phase === 'Failed' ? '❌' : phase === 'Syncing' ? '🔄' : phase === 'Validating' ? '🔍' : '⏳';
}

function cellIcon(phase: string): string {
  return phase === 'Completed' ? '✅' : phase === 'Failed' ? '❌' : phase === 'Syncing' || phase === 'Replacing' ? '🔄' : '⏳';
}

/** `volmig list` (`-A`, `-o wide`). */
export function listText(vrs: readonly VolumeResizeView[], o: { allNamespaces: boolean; wide: boolean; namespace: string; clock: Clock }): string {
  if (vrs.length === 0) return o.allNamespaces ? 'No VolumeResize resources found in any namespace\n' : `No VolumeResize resources found in namespace '${o.namespace}'\n`;
  const header = [...(o.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'STATEFULSET', 'PHASE', 'REPLICA', 'MESSAGE', ...(o.wide ? ['VOLUMES', 'AGE'] : [])];
  const rows = vrs.map((vr) => [
    ...(o.allNamespaces ? [vr.namespace] : []),
    vr.name,
    vr.statefulSetName,
    shownPhase(vr),
    vr.status.currentReplica === undefined ? '-' : String(vr.status.currentReplica),
    cut(vr.status.message ?? '', o.wide ? 60 : 40),
    ...(o.wide ? [vr.volumes.map((v) => `${v.name}:${v.newSize}`).join(','), vr.creationTimestamp ? age(o.clock.now.getTime() - Date.parse(vr.creationTimestamp)) : '0s'] : []),
  ]);
  return tabulate([header, ...rows]);
}

/** `volmig status <name>`. */
export function statusText(vr: VolumeResizeView, clock: Clock): string {
  const phase = shownPhase(vr);
  const out = [`${phaseIcon(phase)} VolumeResize: ${vr.name}`, `   Phase: ${phase}`];
  if (vr.status.message) out.push(`   Message: ${vr.status.message}`);
  out.push('', `Target: StatefulSet/${vr.statefulSetName}`);
  for (const v of vr.volumes) out.push(`   Volume: ${v.name} → ${v.newSize} [${v.storageClass ?? '(default)'}]`);
  out.push('');
  let text = `${out.join('\n')}\n`;
  if (vr.status.volumeStatuses.length > 0) {
    text += 'Replica Status:\n';
    text += tabulate([['  REPLICA', 'VOLUME', 'PHASE', 'MESSAGE'], ...vr.status.volumeStatuses.map((c) => [`  ${c.replica}`, c.volumeName, `${cellIcon(c.phase)} ${c.phase}`, cut(c.message ?? '', 40)])]);
    text += '\n';
  }
  text += timing(vr, clock, { start: 'Started: ', done: 'Completed: ', duration: 'Duration: ' });
  if (vr.status.backupConfigMapName) text += `Backup ConfigMap: ${vr.status.backupConfigMapName}\n`;
  return text;
}

/** Started/Completed/Duration (status) or StartTime/CompletionTime/Duration (describe), as volmig labels them. */
function timing(vr: VolumeResizeView, clock: Clock, labels: { start: string; done: string; duration: string }): string {
  const s = vr.status;
  let text = s.startTime ? `${labels.start}${clock.dateTime(s.startTime)}\n` : '';
  if (s.completionTime) {
    text += `${labels.done}${clock.dateTime(s.completionTime)}\n`;
    if (s.startTime) text += `${labels.duration}${goDuration(Date.parse(s.completionTime) - Date.parse(s.startTime))}\n`;
  }
  return text;
}

/** `volmig describe <name>`. */
export function describeText(vr: VolumeResizeView, clock: Clock): string {
  const out: string[] = [`Name:         ${vr.name}`, `Namespace:    ${vr.namespace}`, `Created:      ${vr.creationTimestamp ? clock.dateTime(vr.creationTimestamp) : ''}`, '', 'Spec:', `  StatefulSet:  ${vr.statefulSetName}`, '  Volumes:'];
  for (const v of vr.volumes) {
    out.push(`    - Name:     ${v.name}`, `      NewSize:  ${v.newSize}`);
    if (v.storageClass) out.push(`      StorageClass: ${v.storageClass}`);
  }
  out.push('', 'Status:', `  Phase:        ${shownPhase(vr)}`);
  const s = vr.status;
  if (s.currentReplica !== undefined) out.push(`  CurrentReplica: ${s.currentReplica}`);
  if (s.currentVolume) out.push(`  CurrentVolume:  ${s.currentVolume}`);
  if (s.message) out.push(`  Message:      ${s.message}`);
  if (s.backupConfigMapName) out.push(`  BackupConfigMap: ${s.backupConfigMapName}`);
  let text = `${out.join('\n')}\n${timing(vr, clock, { start: '  StartTime:    ', done: '  CompletionTime: ', duration: '  Duration:     ' })}`;
  if (s.volumeStatuses.length > 0) {
    const lines = ['', 'Volume Statuses:'];
    for (const c of s.volumeStatuses) {
      lines.push(`  - Volume: ${c.volumeName}, Replica: ${c.replica}`, `    Phase:    ${c.phase}`);
      if (c.oldPVCName) lines.push(`    OldPVC:   ${c.oldPVCName}`);
      if (c.newPVCName) lines.push(`    NewPVC:   ${c.newPVCName}`);
      if (c.oldPVName) lines.push(`    OldPV:    ${c.oldPVName}`);
      if (c.message) lines.push(`    Message:  ${c.message}`);
    }
    text += `${lines.join('\n')}\n`;
  }
  if (s.conditions.length > 0) {
    const lines = ['', 'Conditions:'];
    for (const c of s.conditions) {
      lines.push(`  - Type: ${c.type}`, `    Status: ${c.status}`);
      if (c.reason) lines.push(`    Reason: ${c.reason}`);
      if (c.message) lines.push(`    Message: ${c.message}`);
    }
    text += `${lines.join('\n')}\n`;
  }
  return text;
}

/** What a watch line reports: it prints again when one of these changes (volmig: phase, message, replica). */
export function watchKey(vr: VolumeResizeView): string {
  return JSON.stringify([vr.status.phase, vr.status.message ?? '', vr.status.currentReplica ?? null, vr.status.currentVolume ?? '']);
}

/** `[15:04:05] Phase: Syncing      | Replica: 1 | Volume: data | Migrating replica 1 volume data`. */
export function watchLine(vr: VolumeResizeView, at: Date, clock: Clock): string {
  const s = vr.status;
  return `[${clock.time(at)}] Phase: ${shownPhase(vr).padEnd(12)}${s.currentReplica !== undefined ? ` | Replica: ${s.currentReplica}` : ''}${s.currentVolume ? ` | Volume: ${s.currentVolume}` : ''}${s.message ? ` | ${s.message}` : ''}\n`;
}

/** The end of a watch: volmig's words for Completed (stdout) and Failed (stderr). */
export function watchEnd(vr: VolumeResizeView): { stdout: string; stderr: string; exitCode: 0 | 1 } {
  if (vr.status.phase === 'Completed') {
    const d = vr.status.startTime && vr.status.completionTime ? `Duration: ${goDuration(Date.parse(vr.status.completionTime) - Date.parse(vr.status.startTime))}\n` : '';
    return { stdout: `\nMigration completed successfully!\n${d}`, stderr: '', exitCode: 0 };
  }
  return { stdout: '\n', stderr: `Migration failed: ${vr.status.message ?? ''}\n`, exitCode: 1 };
}

/** The grid the JSON of `status` adds: every replica × volume with its phase (what the tree and the webview show). */
export function gridJson(vr: VolumeResizeView): object[] {
  return gridOf(vr).map((c) => ({ replica: c.replica, volume: c.volumeName, phase: c.phase, ...(c.message ? { message: c.message } : {}), ...(c.oldPVCName ? { oldPVCName: c.oldPVCName } : {}), ...(c.newPVCName ? { newPVCName: c.newPVCName } : {}), ...(c.oldPVName ? { oldPVName: c.oldPVName } : {}) }));
}

/**
 * Output of `kvstorage datamover plan`: text for people (tables per VM, totals, commands, problems) and JSON for
 * pipelines. Bytes are exact decimal strings in JSON (like findings' `data`), so no consumer rounds them.
 */
import type { ClusterOutcome, PlanProblem, RestoreClusterFacts } from '../core/datamover/clusterChecks.js';
import type { BackupPlan, DiskPlan, PlanSettings, RestorePlan, VmPlan } from '../core/datamover/plan.js';
import { designBufferPercent } from '../core/datamover/sizing.js';
import { ANNOTATION } from '../core/kinds/index.js';
import { formatBytes, groupDigits, humanBytes } from '../core/quantity.js';
import type { Finding } from '../core/types.js';
import { formatText } from './format/text.js';

export interface PlanReport {
  folder: string;
  plan: RestorePlan;
  /** The findings of the files the planned backups read (manifests, VM indexes, per-backup indexes), and --verify's. */
  problems: Finding[];
  settings: PlanSettings;
  commands: Map<VmPlan, string[]>;
  verify: { ran: true; version: string; files: number } | { ran: false; reason: string };
  cluster: { checked: false; notes: string[]; outcomes: Map<string, ClusterOutcome> } | { checked: true; context: string; notes: string[]; facts: RestoreClusterFacts; outcomes: Map<string, ClusterOutcome> };
}

const notChecked = `the StorageProfile minimum of the class (${ANNOTATION.minimumSupportedPvcSize}) and the ResourceQuotas of the namespaces`;

export function formatPlanText(r: PlanReport, color: boolean): string {
  const out: string[] = [];
  for (const b of r.plan.backups) out.push(...backupText(b, r), '');
  if (r.cluster.checked) {
    const f = r.cluster.facts;
    out.push(`Cluster (context ${r.cluster.context}): class ${f.storageClass ?? '(none)'}, StorageProfile minimum ${f.minimum ?? '(none)'}, ${f.quotas.length} ResourceQuota(s) in the namespaces the PVCs go to.`);
    for (const n of r.cluster.notes) out.push(`  not checked: ${n}`);
  } else {
    out.push(`Cluster: not checked (no --kubeconfig): ${notChecked}.`);
  }
  out.push(r.verify.ran ? `qcow2 files: ${r.verify.files} checked with ${r.verify.version}.` : `qcow2 files: not verified: ${r.verify.reason}.`, '');
  out.push('Restore commands (each block runs in the prefix folder it names):');
  for (const b of r.plan.backups) for (const vm of b.vms) out.push(...(r.commands.get(vm) ?? []));
  const problems = allProblems(r);
  out.push('', 'Problems:');
  const text = formatText(problems.findings, { fileCount: r.plan.backups.length, color }).replace(/no problems found in \d+ files?\n$/, 'none\n');
  return `${out.join('\n')}\n${problems.cluster.map((p) => `cluster: ${p.severity} ${p.rule}: ${p.message}\n`).join('')}${text}`;
}

function backupText(b: BackupPlan, r: PlanReport): string[] {
  const out = [`Backup ${b.backup}`];
  const raised = r.cluster.outcomes.get(b.backup)?.raised;
  for (const vm of b.vms) {
    const state = vm.whole ? 'whole' : 'BROKEN (see the problems below)';
    out.push(`  VM ${vm.namespace}/${vm.vm}: chain ${vm.chain.join(' → ') || '(empty)'}: ${state}`);
    if (vm.disks.length === 0) continue;
    const mode = r.settings.volumeMode;
    const header = ['PVC', 'disk', 'target', 'qcow2 chain', mode === 'Block' ? 'controller: work + output' : 'controller: scratch', `design: (PVC + qcow2) × ${1 + designBufferPercent / 100}`];
    out.push(...table([header, ...vm.disks.map((d) => diskRow(d))]).map((l) => `    ${l}`));
    out.push(`    controller: ${sized(vm.scratchBytes)} with every disk at once${vm.disks.length > 1 ? `, ${humanBytes(vm.scratchBytesOneAtATime)} one disk at a time` : ''}`);
    const up = raised?.get(`${vm.namespace}/${vm.vm}`);
    if (up !== undefined) out.push(`    with the StorageProfile minimum: ${sized(up)}`);
    out.push(`    design:     ${vm.designBytes === undefined ? 'unknown (no pvcSizes)' : `${sized(vm.designBytes)}, the largest PVC's`}`);
  }
  out.push(`  Total for ${b.backup}: controller ${humanBytes(b.totals.scratchBytes)}, design ${humanBytes(b.totals.designBytes)}, target PVCs ${humanBytes(b.totals.targetBytes)}`);
  const keptBy = [...new Set(b.deletion.kept.flatMap((k) => k.referencedBy))].sort();
  const removes = b.deletion.deleted.length === 0 ? 'removes no qcow2 file' : `removes ${b.deletion.deleted.map(short).join(', ')}`;
  out.push(`  Deleting ${b.backup} ${removes}${b.deletion.kept.length > 0 ? `; ${b.deletion.kept.length} file(s) stay, still referenced by ${keptBy.join(', ')}` : ''}.`);
  return out;
}

function diskRow(d: DiskPlan): string[] {
  const staging = d.staging.map((s) => humanBytes(s.bytes) + (s.basis === 'metadata' ? '' : ` (${s.basis})`));
  return [
    d.pvc,
    d.disk,
    d.targetText ?? '?',
    humanBytes(d.chainBytes) + (d.files.some((f) => f.absent) ? ' (files missing)' : ''),
    staging.length > 1 ? `${staging.join(' + ')} = ${humanBytes(d.stagingBytes)}` : staging.join(''),
    d.designBytes === undefined ? '?' : humanBytes(d.designBytes),
  ];
}

/** checkpoints/<ns>/<vm>/cp/file → cp/file. */
function short(objectPath: string): string {
  return objectPath.split('/').slice(-2).join('/');
}

function sized(bytes: bigint): string {
  return `${humanBytes(bytes)} (${groupDigits(bytes)} bytes)`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2 - ([...c].length - c.length)))).join('').trimEnd());
}

/** Every problem: the findings of the files (and of --verify), then the cluster's, each once. */
function allProblems(r: PlanReport): { findings: Finding[]; cluster: PlanProblem[] } {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const f of r.problems) {
    const key = `${f.file}\0${f.range.start.line}\0${f.range.start.character}\0${f.rule}\0${f.message}`;
    if (!seen.has(key)) findings.push(f), seen.add(key);
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  const cluster = [...r.cluster.outcomes.values()].flatMap((o) => o.problems);
  return { findings, cluster };
}

export function formatPlanJson(r: PlanReport): string {
  const problems = allProblems(r);
  const totals = { scratchBytes: 0n, designBytes: 0n, targetBytes: 0n };
  for (const b of r.plan.backups) for (const k of ['scratchBytes', 'designBytes', 'targetBytes'] as const) totals[k] += b.totals[k];
  const out = {
    folder: r.folder,
    settings: { ...r.settings, designBufferPercent },
    backups: r.plan.backups.map((b) => ({
      backup: b.backup,
      vms: b.vms.map((vm) => vmJson(vm, r)),
      totals: bytesOf(b.totals),
      deletion: b.deletion,
      cluster: r.cluster.outcomes.get(b.backup)?.problems ?? [],
    })),
    totals: bytesOf(totals),
    cluster: r.cluster.checked
      ? { checked: true, context: r.cluster.context, storageClass: r.cluster.facts.storageClass ?? null, minimum: r.cluster.facts.minimum ?? null, quotas: r.cluster.facts.quotas.map((q) => `${q.namespace}/${q.name}`), notes: r.cluster.notes }
      : { checked: false, notChecked: `no --kubeconfig: ${notChecked}` },
    verify: r.verify,
    problems: [...problems.findings.map(problemJson), ...problems.cluster.map((p) => ({ rule: p.rule, severity: p.severity, message: p.message, file: null, range: null, data: p.data ?? {} }))],
  };
  return `${JSON.stringify(out, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

function vmJson(vm: VmPlan, r: PlanReport) {
  return {
    namespace: vm.namespace,
    name: vm.vm,
    chain: vm.chain,
    whole: vm.whole,
    scratchBytes: vm.scratchBytes,
    scratchBytesOneAtATime: vm.scratchBytesOneAtATime,
    designBytes: vm.designBytes ?? null,
    targets: vm.disks.map((d) => ({ pvc: d.pvc, disk: d.disk, bytes: d.targetBytes ?? null, quantity: d.targetBytes === undefined ? null : formatBytes(d.targetBytes), volumeMode: r.settings.volumeMode })),
    disks: vm.disks.map((d) => ({
      pvc: d.pvc,
      disk: d.disk,
      chainBytes: d.chainBytes,
      chainIndexBytes: d.chainIndexBytes,
      staging: d.staging.map((s) => ({ role: s.role, volumeMode: s.volumeMode, bytes: s.bytes, quantity: formatBytes(s.bytes), basis: s.basis })),
      stagingBytes: d.stagingBytes,
      designBytes: d.designBytes ?? null,
      files: d.files.map((f) => ({ checkpoint: f.checkpoint, objectPath: f.objectPath, indexBytes: f.indexBytes ?? null, localBytes: f.localBytes ?? null, absent: f.absent })),
    })),
    problems: vm.problems.map(problemJson),
    commands: r.commands.get(vm) ?? [],
  };
}

function problemJson(f: Finding) {
  return { rule: f.rule, severity: f.severity, message: f.message, file: f.file, range: f.range, data: { ...f.data } };
}

function bytesOf(t: { scratchBytes: bigint; designBytes: bigint; targetBytes: bigint }) {
  return { scratchBytes: t.scratchBytes.toString(), designBytes: t.designBytes.toString(), targetBytes: t.targetBytes.toString() };
}

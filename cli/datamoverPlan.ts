/**
 * `kvstorage datamover plan`: read the local copy, plan (core), then what needs the machine: qemu-img info on the
 * files (--verify) and the cluster's StorageProfile minimum and ResourceQuotas (--kubeconfig, through cluster/).
 * Exit 1 when a planned chain is broken (any error finding of the planned backups), 2 on usage or I/O errors.
 */
import path from 'node:path';
import { readRestoreFacts } from '../cluster/datamoverFacts.js';
import { openCluster } from '../cluster/open.js';
import { checkCluster, type ClusterOutcome, type RestoreClusterFacts } from '../core/datamover/clusterChecks.js';
import { restoreCommands } from '../core/datamover/commands.js';
import { locateDatamoverPath } from '../core/datamover/layout.js';
import { planRestore, type VmPlan } from '../core/datamover/plan.js';
import { DatamoverSet } from '../core/datamover/set.js';
import { verifyVm, type QemuInfoResult } from '../core/datamover/verify.js';
import type { CommandEnv, CommandResult } from './command.js';
import { loadPrefix } from './datamoverFiles.js';
import { formatPlanJson, formatPlanText, type PlanReport } from './datamoverFormat.js';
import { qemuImgInfo, qemuImgVersion } from './qemuImg.js';

export interface DatamoverPlanOptions {
  path: string;
  backup?: string;
  storageClass?: string;
  namespace?: string;
  oadpNamespace: string;
  volumeMode: 'Block' | 'Filesystem';
  overheadPercent: number;
  kubeconfig?: string;
  context?: string;
  /** Set when a cluster is asked for. */
  timeoutMs?: number;
  verify: boolean;
  format: 'text' | 'json';
}

const prog = 'kvstorage datamover';

export async function runDatamoverPlan(o: DatamoverPlanOptions, env: CommandEnv): Promise<CommandResult> {
  const loaded = await loadPrefix(o.path, env.cwd, env.stdin);
  if (!loaded.ok) return { exitCode: 2, stdout: '', stderr: `${prog}: ${loaded.error}\n` };
  const set = new DatamoverSet();
  for (const f of loaded.value.files) set.set(f.file, f.text, f.role);
  const only = o.backup !== undefined ? { ...loaded.value.only, backup: o.backup } : loaded.value.only;
  const plan = planRestore(set, loaded.value.local, { overheadPercent: o.overheadPercent, volumeMode: o.volumeMode }, only);
  if (plan.backups.length === 0) {
    const all = [...new Set(set.vmBackups().map((b) => b.backup))];
    const why =
      only.backup !== undefined ? `backup '${only.backup}' is not in '${loaded.value.folder}'${only.vm ? ` for ${only.namespace}/${only.vm}` : ''} (backups: ${all.join(', ') || 'none'})`
      : only.vm !== undefined ? `no backup of ${only.namespace}/${only.vm} (manifests/<backup>/${only.namespace}-${only.vm}.json) in '${loaded.value.folder}': nothing to plan`
      : `no backup manifests (manifests/<backup>/<ns>-<vm>.json) in '${loaded.value.folder}': nothing to plan`;
    return { exitCode: 2, stdout: '', stderr: `${prog}: ${why}\n` };
  }
  const vms = plan.backups.flatMap((b) => b.vms);
  const report: PlanReport = { folder: loaded.value.folder, plan, problems: [], settings: { overheadPercent: o.overheadPercent, volumeMode: o.volumeMode }, commands: new Map(), verify: { ran: false, reason: 'not asked for (--verify runs qemu-img info on each file)' }, cluster: { checked: false, notes: [], outcomes: new Map() } };
  let environmentFailed = false;

  const proven = new Set<string>();
  if (o.verify) {
    const version = await qemuImgVersion(env.env);
    if (!version.ok) {
      report.verify = { ran: false, reason: `${version.message}: nothing was verified (install Debian's qemu-utils)` };
      environmentFailed = true;
    } else {
      const infos = new Map<string, QemuInfoResult>();
      for (const file of new Set(vms.flatMap((vm) => vm.disks.flatMap((d) => d.files.filter((f) => !f.absent).map((f) => f.path))))) {
        infos.set(file, await qemuImgInfo(path.resolve(env.cwd, file), env.env));
      }
      for (const vm of vms) {
        const r = verifyVm(vm, infos);
        addProblems(vm, r.findings);
        for (const p of r.provenRebases) proven.add(p);
      }
      report.verify = { ran: true, version: version.version, files: infos.size };
    }
  }
  for (const vm of vms) report.commands.set(vm, restoreCommands(vm, { proven, verified: report.verify.ran }));
  const planned = new Set(plan.backups.map((b) => b.backup));
  const read = new Set(vms.flatMap((vm) => [vm.manifestFile, vm.indexFile]));
  report.problems = [
    ...plan.findings.filter((f) => !read.has(f.file) && planned.has(locateDatamoverPath(f.file)?.backup ?? '\0')),
    ...vms.flatMap((vm) => vm.problems),
  ];

  if (o.timeoutMs !== undefined) {
    const facts = await clusterFacts(o, vms, env.env);
    if (!facts.ok) return { exitCode: 2, stdout: '', stderr: `${prog}: ${facts.message}\n` };
    report.cluster = { checked: true, context: facts.context, notes: facts.notes, facts: facts.facts, outcomes: new Map() };
    for (const b of plan.backups) {
      const outcome: ClusterOutcome = checkCluster(b, facts.facts, o.namespace === undefined ? { staging: o.oadpNamespace } : { staging: o.oadpNamespace, target: o.namespace });
      report.cluster.outcomes.set(b.backup, outcome);
    }
  }

  const stdout = o.format === 'json' ? formatPlanJson(report) : formatPlanText(report, env.color);
  const errors =
    vms.some((vm) => !vm.whole) ||
    report.problems.some((p) => p.severity === 'error') ||
    [...report.cluster.outcomes.values()].some((c) => c.problems.some((p) => p.severity === 'error'));
  const notes = [
    ...(report.verify.ran || !o.verify ? [] : [`${prog}: --verify: ${report.verify.reason}\n`]),
    ...(report.cluster.checked ? report.cluster.notes.map((n) => `${prog}: ${n}\n`) : []),
  ].join('');
  return { exitCode: environmentFailed ? 2 : errors ? 1 : 0, stdout, stderr: notes };
}

function addProblems(vm: VmPlan, findings: VmPlan['problems']): void {
  vm.problems.push(...findings);
  if (findings.some((f) => f.severity === 'error')) vm.whole = false;
}

async function clusterFacts(o: DatamoverPlanOptions, vms: readonly VmPlan[], env: Record<string, string | undefined> | undefined): Promise<{ ok: true; facts: RestoreClusterFacts; notes: string[]; context: string } | { ok: false; message: string }> {
  // The one opener (cluster/open.ts) for a look that needs no caches, only a few direct reads: no discovery.
  const opener = openCluster({ kubeconfigPath: o.kubeconfig, context: o.context, timeoutMs: o.timeoutMs!, ...(env ? { env } : {}), caches: { only: [] }, discovery: 'assume' });
  const c = await opener.first;
  if (!c.ok) return { ok: false, message: c.error.message };
  const conn = c.value.connection;
  try {
    const namespaces = [o.oadpNamespace, ...(o.namespace !== undefined ? [o.namespace] : vms.map((v) => v.namespace))];
    const read = await readRestoreFacts(conn, { ...(o.storageClass !== undefined ? { storageClass: o.storageClass } : {}), namespaces });
    if (!read.ok) return { ok: false, message: read.error.message };
    return { ok: true, facts: read.value.facts, notes: read.value.notes, context: conn.context };
  } finally {
    opener.dispose();
  }
}

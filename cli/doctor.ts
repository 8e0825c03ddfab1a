/**
 * `kvstorage doctor`: scan a cluster for storage problems (core/doctor over the cluster caches) and print them
 * with lint's finding shape, a resource in place of a file range. Exit 0 without error findings, 1 with, 2 on
 * usage errors or when the cluster cannot be reached or read (a scan that could not look is not "clean").
 */
import { clusterInventory } from '../cluster/inventory.js';
import { storageResources, type StorageCacheName } from '../cluster/storageCaches.js';
import { doctor, doctorChecks } from '../core/doctor/index.js';
import { kindNamed, type KindName } from '../core/kinds/index.js';
import { defaultSettings, type Settings } from '../core/types.js';
import { describeCache, openCluster, unreadableSummary, type ClusterArgs } from './cluster.js';
import { usageError, type Command, type CommandEnv, type CommandResult } from './command.js';
import { formatDoctorJson, formatDoctorSarif, formatDoctorText } from './format/doctor.js';
import { parseDoctorArgs } from './doctorArgs.js';
import { informationUri } from './version.js';

export { doctorHelp, parseDoctorArgs, type DoctorOptions } from './doctorArgs.js';

/** A kind's cache: every kind a check names must be watched (a check naming another is a bug). */
function cacheOf(kind: KindName): StorageCacheName {
  const watch = kindNamed(kind)?.watch;
  if (watch === undefined) throw new Error(`a doctor check reads ${kind}, which no cache watches (core/kinds/registry.ts)`);
  return watch as StorageCacheName;
}

/** Each check and the caches it cannot do without, from the checks' declarations. */
const checks: readonly { rule: string; needs: readonly StorageCacheName[] }[] = doctorChecks.map((c) => ({ rule: c.id, needs: c.kinds.map(cacheOf) }));

/** The checks' caches, then what they also read when present (CDI's render: the overhead and the version). */
const doctorCaches: readonly StorageCacheName[] = [
  ...new Set<StorageCacheName>([...checks.flatMap((c) => c.needs), ...doctorChecks.flatMap((c) => c.alsoReads.map(cacheOf))]),
];

function skippedBy(missing: readonly StorageCacheName[]): string[] {
  return checks.filter((c) => c.needs.some((n) => missing.includes(n))).map((c) => c.rule);
}

export async function runDoctor(argv: string[], env: CommandEnv): Promise<CommandResult> {
  const parsed = parseDoctorArgs(argv);
  if (parsed.kind === 'help') return { exitCode: 0, stdout: parsed.text, stderr: '' };
  if (parsed.kind === 'error') return usageError('doctor', parsed.message);
  const o = parsed.options;
  const args: ClusterArgs = { kubeconfig: o.kubeconfig, context: o.context, timeoutMs: o.timeoutMs };
  const opened = await openCluster(args, { namespace: o.namespace, allNamespaces: o.allNamespaces, only: doctorCaches, env: env.env });
  if (!opened.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage doctor: ${opened.error.message}\n` };
  const cluster = opened.value;
  try {
    const all = unreadableSummary(cluster, doctorCaches);
    if (all) return { exitCode: 2, stdout: '', stderr: `kvstorage doctor: ${all}\n` };

    const notes: string[] = [];
    const byGroup = new Map<string, StorageCacheName[]>();
    for (const name of cluster.caches.notServed) {
      const group = storageResources[name].group;
      byGroup.set(group, [...(byGroup.get(group) ?? []), name]);
    }
    for (const [group, names] of byGroup) {
      const skipped = skippedBy(names);
      notes.push(`note: the cluster does not serve ${group} (${names.map((n) => storageResources[n].kind).join(', ')})` +
        (skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '; CDI version and overhead come from --cdi-version and the defaults'));
    }
    for (const u of cluster.unreadable) notes.push(`cannot read ${describeCache(u.name)}: ${u.error.message}; skipped ${skippedBy([u.name]).join(', ') || 'nothing'}`);
    for (const name of cluster.narrowed) {
      notes.push(`note: may not list ${describeCache(name)} in all namespaces; checked namespace ${JSON.stringify(cluster.conn.namespace)} only`);
    }

    const settings: Settings = { ...defaultSettings, strictProvisioners: o.strictProvisioners ?? [...defaultSettings.strictProvisioners], defaultNamespace: cluster.conn.namespace };
    if (o.cdiVersion) settings.cdiVersion = o.cdiVersion;
    const namespace = o.allNamespaces ? undefined : cluster.conn.namespace;
    const skipped = new Set(skippedBy([...cluster.caches.notServed, ...cluster.unreadable.map((u) => u.name)]));
    const findings = doctor(clusterInventory(cluster.caches, cluster.facts), { namespace }, settings).filter((f) => !skipped.has(f.rule));

    const scope = `context ${JSON.stringify(cluster.conn.context)}, ${namespace === undefined ? 'all namespaces' : `namespace ${JSON.stringify(namespace)}`}`;
    const stdout =
      o.format === 'json' ? formatDoctorJson(findings)
      : o.format === 'sarif' ? formatDoctorSarif(findings, { version: env.version, informationUri })
      : formatDoctorText(findings, { color: env.color, scope });
    const stderr = notes.map((n) => `kvstorage doctor: ${n}\n`).join('');
    const exitCode = cluster.unreadable.length > 0 ? 2 : findings.some((f) => f.severity === 'error') ? 1 : 0;
    return { exitCode, stdout, stderr };
  } finally {
    cluster.dispose();
  }
}

export const doctorCommand: Command = {
  summary: 'scan a cluster for KubeVirt/CDI storage problems (VM restores that will fail, default classes, profiles)',
  run: runDoctor,
};

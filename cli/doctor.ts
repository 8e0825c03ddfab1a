/**
 * `kvstorage doctor`: scan a cluster for storage problems (core/doctor over the cluster caches) and print them
 * with lint's finding shape, a resource in place of a file range. Exit 0 without findings at `--fail-on` (error)
 * or above, 1 with, 2 on usage errors or when the cluster cannot be reached or read (a scan that could not look
 * is not "clean").
 */
import type { Command } from 'commander';
import { clusterInventory } from '../cluster/inventory.js';
import { storageResources, type StorageCacheName } from '../cluster/storageCaches.js';
import { doctor, type ClusterFinding } from '../core/doctor/index.js';
import { predictionMismatch } from '../core/doctor/probe.js';
import { defaultSettings, type Settings } from '../core/types.js';
import { describeCache, openCluster, unreadableSummary, type ClusterArgs } from './cluster.js';
import { respond, type CommandEnv, type CommandResult } from './command.js';
import { defineDoctor, doctorOptions, type DoctorOptions } from './doctorArgs.js';
import { alsoRead, checks, skippedBy } from './doctorChecks.js';
import { learnPvcWebhook, runProbes, type ProbeOutcome } from './doctorProbe.js';
import { failsAt } from './failOn.js';
import { formatDoctorJson, formatDoctorSarif, formatDoctorText } from './format/doctor.js';
import { formatDoctorJunit } from './format/junit.js';
import { applyRuleConfig } from '../core/repoConfig.js';
import { beneathFlags, enabledWith, loadRepoConfig } from './repoConfig.js';
import { informationUri } from './version.js';

export { parseDoctorArgs, type DoctorOptions } from './doctorArgs.js';

export function register(program: Command, env: CommandEnv): void {
  defineDoctor(program).action(respond((raw: Parameters<typeof doctorOptions>[0], cmd: Command) => runDoctor(doctorOptions(raw, cmd), env)));
}

export async function runDoctor(o: DoctorOptions, env: CommandEnv): Promise<CommandResult> {
  const loaded = await loadRepoConfig(env.cwd, o.config);
  if (!loaded.ok) return { exitCode: 2, stdout: '', stderr: loaded.message.split('\n').map((m) => `kvstorage doctor: ${m}\n`).join('') };
  const config = loaded.config;
  const enabled = enabledWith(o.rules, config);
  // prediction-mismatch runs only with --probe: without, it neither reads nor reports.
  const asked = checks.filter((c) => enabled(c.rule) && (o.probe || c.rule !== predictionMismatch.id));
  // The render's caches stay: they hold the CDI version, noted when the cluster does not serve CDI.
  const caches = [...new Set<StorageCacheName>([...asked.flatMap((c) => c.needs), ...alsoRead])];
  // Text in one namespace lists the namespaced resources everywhere it may (the -A scan's lists), to say
  // how many findings the other namespaces hold; where it may not, it falls back to the namespace, silently.
  const countElsewhere = o.format === 'text' && !o.allNamespaces;
  const args: ClusterArgs = { kubeconfig: o.kubeconfig, context: o.context, timeoutMs: o.timeoutMs };
  const opened = await openCluster(args, { namespace: o.namespace, allNamespaces: o.allNamespaces || countElsewhere, only: caches, env: env.env });
  if (!opened.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage doctor: ${opened.error.message}\n` };
  const cluster = opened.value;
  try {
    const all = unreadableSummary(cluster, caches);
    if (all) return { exitCode: 2, stdout: '', stderr: `kvstorage doctor: ${all}\n` };

    const notes: string[] = [];
    /** Why each asked-for check did not run (JUnit's skipped). */
    const skipReasons = new Map<string, string>();
    const byGroup = new Map<string, StorageCacheName[]>();
    for (const name of cluster.caches.notServed) {
      const group = storageResources[name].group;
      byGroup.set(group, [...(byGroup.get(group) ?? []), name]);
    }
    for (const [group, names] of byGroup) {
      const skipped = skippedBy(names, asked);
      for (const rule of skipped) skipReasons.set(rule, `the cluster does not serve ${group}`);
      notes.push(`note: the cluster does not serve ${group} (${names.map((n) => storageResources[n].kind).join(', ')})` +
        (skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '; CDI version and overhead come from --cdi-version and the defaults'));
    }
    for (const u of cluster.unreadable) {
      const skipped = skippedBy([u.name], asked);
      for (const rule of skipped) skipReasons.set(rule, `cannot read ${describeCache(u.name)}: ${u.error.message}`);
      notes.push(`cannot read ${describeCache(u.name)}: ${u.error.message}; skipped ${skipped.join(', ') || 'nothing'}`);
    }
    // Only -A promised every namespace; the count for the hint just goes without.
    if (o.allNamespaces) {
      for (const name of cluster.narrowed) {
        notes.push(`note: may not list ${describeCache(name)} in all namespaces; checked namespace ${JSON.stringify(cluster.conn.namespace)} only`);
      }
    }

    // Flags, else the repository's .kvstorage.yaml, else the defaults.
    const settings: Settings = {
      ...defaultSettings,
      strictProvisioners: o.strictProvisioners ?? config.strictProvisioners ?? [...defaultSettings.strictProvisioners],
      defaultNamespace: cluster.conn.namespace,
    };
    const cdiVersion = o.cdiVersion ?? config.cdiVersion;
    if (cdiVersion) settings.cdiVersion = cdiVersion;
    const namespace = o.allNamespaces ? undefined : cluster.conn.namespace;
    // The live configuration of CDI's PVC webhook decides whether it renders anything (facts §0.4).
    const webhookNote = await learnPvcWebhook(cluster.conn, cluster.facts);
    if (webhookNote) notes.push(`note: ${webhookNote}`);
    const inventory = clusterInventory(cluster.caches, cluster.facts);
    let probed: ProbeOutcome | undefined;
    if (asked.some((c) => c.rule === predictionMismatch.id) && !skipReasons.has(predictionMismatch.id)) {
      probed = await runProbes(cluster.conn, cluster.facts, inventory, namespace, settings, () => new Date());
      notes.push(...probed.notes);
      const results = probed.results;
      inventory.probes = () => results;
    }
    const found = applyRuleConfig(
      doctor(inventory, { namespace: countElsewhere ? undefined : namespace }, settings).filter((f) => asked.some((c) => c.rule === f.rule) && !skipReasons.has(f.rule)),
      beneathFlags(config, o.rules),
    );
    const here = (f: ClusterFinding): boolean => namespace === undefined || f.resource.namespace === undefined || f.resource.namespace === namespace;
    const findings = found.filter(here);
    const elsewhere = countElsewhere && cluster.narrowed.length === 0 ? found.filter((f) => !here(f)) : [];

    const scope = `context ${JSON.stringify(cluster.conn.context)}, ${namespace === undefined ? 'all namespaces' : `namespace ${JSON.stringify(namespace)}`}`;
    const stdout =
      o.format === 'json' ? formatDoctorJson(findings)
      : o.format === 'sarif' ? formatDoctorSarif(findings, { version: env.version, informationUri })
      : o.format === 'junit' ? formatDoctorJunit(findings, { checks: asked.map((c) => ({ rule: c.rule, skipped: skipReasons.get(c.rule) })), scope, failOn: o.failOn })
      : formatDoctorText(findings, { color: env.color, scope, elsewhere });
    const stderr = notes.map((n) => `kvstorage doctor: ${n}\n`).join('');
    const exitCode = cluster.unreadable.length > 0 || probed?.incomplete ? 2 : failsAt(findings, o.failOn) ? 1 : 0;
    return { exitCode, stdout, stderr };
  } finally {
    cluster.dispose();
  }
}

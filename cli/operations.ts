/**
 * `kvstorage plan|apply|undo|status <operation>`: every operation registered in cluster/ops/registry.ts, each
 * a subcommand of the four verbs with flags made from its option specs, so a new operation needs no CLI code.
 * `plan` prints the exact manifests; `apply` dry-runs, asks on a TTY (or takes `--yes`; without either it
 * refuses), applies with progress on stderr, and verifies; `undo` reverses from the journal in the cluster;
 * `status` shows what is deployed and the runs in the journal.
 */
import { Option, type Command } from 'commander';
import type { ClusterConnection } from '../cluster/connection.js';
import { openCluster } from '../cluster/open.js';
import { applyPlan, dryRun } from '../cluster/ops/engine.js';
import { DEFAULT_JOURNAL_NAMESPACE, listJournals } from '../cluster/ops/journalStore.js';
import { checkOptions, operations, type OperationDefinition } from '../cluster/ops/registry.js';
import { previewUndo, undoRuns } from '../cluster/ops/undo.js';
import type { OptionSpec, OptionValues } from '../core/ops/types.js';
import { defaultTimeoutMs } from './cluster.js';
import { commandPath, respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { nonEmptyOption, timeoutOption, valueOf } from './options.js';
import { applyText, dryRunText, planJson, planText, runJson, statusText, undoPreviewText } from './operationsFormat.js';

export type Format = 'text' | 'json';

export interface CommonOptions {
  kubeconfig?: string;
  context?: string;
  timeout?: number;
  format?: Format;
  journalNamespace?: string;
}

export const exitHelp = `
Exit status: 0 done (or nothing to change), 1 the operation failed, stopped, found a conflict or its
verification failed, 2 usage error, a cluster that cannot be reached or read, or a refusal (no --yes and no
terminal to ask on; advice against applying without --force).`;

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format: text, json (default: text)').argParser(
    valueOf('--format', (v) => {
      if (v !== 'text' && v !== 'json') throw new UsageError(`unknown format '${v}' (expected text, json)`);
      return v as Format;
    }),
  );
}

/** The cluster options every operation command takes: kubeconfig, context, timeout, journal namespace. */
export function clusterOptions(cmd: Command): Command {
  cmd.optionsGroup('Cluster:');
  return cmd
    .addOption(nonEmptyOption('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, else ~/.kube/config)', '--kubeconfig', 'option --kubeconfig needs a file'))
    .addOption(nonEmptyOption('--context <name>', "kubeconfig context (default: its current-context)", '--context', 'option --context needs a name'))
    .addOption(timeoutOption('give up on a request that gets no answer after this long'))
    .addOption(nonEmptyOption('--journal-namespace <ns>', `namespace of the undo journal (default: ${DEFAULT_JOURNAL_NAMESPACE})`, '--journal-namespace', 'option --journal-namespace needs a namespace'));
}

function flagOf(o: OptionSpec): Option {
  const flag = `--${o.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const choices = o.choices ? `: ${o.choices.join(', ')}` : '';
  const value = o.type === 'integer' ? '<n>' : o.choices ? '<choice>' : '<value>';
  return o.type === 'boolean' ? new Option(flag, o.description) : new Option(`${flag} ${value}`, `${o.description}${choices}`).argParser(valueOf(flag, (v) => v));
}

/** The operation's own options, under a heading of their own. */
export function addOperationOptions(cmd: Command, def: OperationDefinition): void {
  if (def.options.length === 0) return;
  cmd.optionsGroup(`${def.id} options:`);
  for (const o of def.options) cmd.addOption(flagOf(o));
}

export function operationValues(def: OperationDefinition, raw: Record<string, unknown>): OptionValues {
  const given = Object.fromEntries(def.options.map((o) => [o.name, Object.hasOwn(raw, o.name) ? raw[o.name] : undefined]).filter(([, v]) => v !== undefined));
  const checked = checkOptions(def, given);
  if (!checked.ok) throw new UsageError(checked.message);
  return checked.values;
}

/** Opens the cluster of the flags; what fails is said as `name: message` (name: `kvstorage apply webhook`). */
export async function open(o: CommonOptions, env: CommandEnv, name: string): Promise<{ ok: true; conn: ClusterConnection } | { ok: false; result: CommandResult }> {
  // The one opener (cluster/open.ts) for a connection without caches: no discovery request (the engine
  // resolves each kind it writes); disposing the connection closes it all.
  const opener = openCluster({ kubeconfigPath: o.kubeconfig, context: o.context, timeoutMs: o.timeout ?? defaultTimeoutMs, ...(env.env ? { env: env.env } : {}), caches: { only: [] }, discovery: 'assume' });
  const c = await opener.first;
  if (!c.ok) return { ok: false, result: { exitCode: 2, stdout: '', stderr: `${name}: ${c.error.message}\n` } };
  return { ok: true, conn: c.value.connection };
}

/** Asks on the terminal, or refuses: nothing is changed without a yes. */
async function confirmed(env: CommandEnv, yes: boolean | undefined, question: string): Promise<'yes' | 'no' | 'no-terminal'> {
  if (yes) return 'yes';
  if (!env.ask) return 'no-terminal';
  return (await env.ask(`${question} [y/N] `)) ? 'yes' : 'no';
}

const progressLine = (env: CommandEnv, format: Format) => (p: { stage: string; message: string }) => {
  if (format === 'text') env.progress?.(`${p.stage}: ${p.message}`);
};

/** `plan <operation>` on `cmd` (a subcommand the caller named). */
export function planCommand(def: OperationDefinition, env: CommandEnv, cmd: Command): void {
  cmd.summary(def.summary).description(`${def.title}: print the exact manifests, patches and deletes, in apply order, without changing anything.`);
  addOperationOptions(cmd, def);
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', exitHelp);
  cmd.action(
    respond(async (raw: Record<string, unknown> & CommonOptions) => {
      const values = operationValues(def, raw);
      const c = await open(raw, env, `kvstorage ${commandPath(cmd)}`);
      if (!c.ok) return c.result;
      try {
        const r = await def.plan(c.conn, values, { now: new Date() });
        if (!r.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage ${commandPath(cmd)}: ${r.message}\n` };
        return { exitCode: 0, stdout: raw.format === 'json' ? `${JSON.stringify(planJson(r.plan, r.questions ?? []), null, 2)}\n` : planText(r.plan, r.questions ?? []), stderr: '' };
      } finally {
        c.conn.dispose();
      }
    }),
  );
}

export function applyCommand(def: OperationDefinition, env: CommandEnv, cmd: Command): void {
  cmd.summary(def.summary).description(`${def.title}: plan, server-side dry run, confirm, apply, wait, verify. Every change is recorded in an undo journal in the cluster first.`);
  addOperationOptions(cmd, def);
  cmd.optionsGroup('Apply:');
  cmd.option('--dry-run', 'plan and dry-run only: print what would change, change nothing');
  cmd.option('-y, --yes', 'apply without asking (needed where there is no terminal)');
  cmd.option('--force', 'apply even where the tools advise against it (e.g. CDI no longer needs the webhook)');
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', exitHelp);
  cmd.action(
    respond(async (raw: Record<string, unknown> & ApplyFlags) => applyOperation(def, operationValues(def, raw), raw, env, `kvstorage ${commandPath(cmd)}`)),
  );
}

/** Flags of an apply: the cluster's, the output format, and the apply's own. */
export type ApplyFlags = CommonOptions & { dryRun?: boolean; yes?: boolean; force?: boolean };

/**
 * Plan, dry run, confirm (or `--yes`), apply, verify one operation with checked option values: `kvstorage apply
 * <operation>` and the commands that front an operation (`kvstorage create-pvc`). `name` prefixes messages.
 */
export async function applyOperation(def: OperationDefinition, values: OptionValues, raw: ApplyFlags, env: CommandEnv, name: string): Promise<CommandResult> {
  const format = raw.format ?? 'text';
  const c = await open(raw, env, name);
  if (!c.ok) return c.result;
  try {
    const planned = await def.plan(c.conn, values, { now: new Date() });
    if (!planned.ok) return { exitCode: 2, stdout: '', stderr: `${name}: ${planned.message}\n` };
    const plan = planned.plan;
    if (plan.advice && !raw.force && !raw.dryRun) return { exitCode: 2, stdout: '', stderr: `${name}: not applied: ${plan.advice} Use --force to apply anyway.\n` };
    const journalNamespace = raw.journalNamespace ?? DEFAULT_JOURNAL_NAMESPACE;
    const run = async (): Promise<CommandResult> => {
      const r = await applyPlan(c.conn, plan, { journalNamespace, progress: progressLine(env, format) });
      const failed = r.outcome === 'failed' || r.outcome === 'cancelled' || r.verification?.state === 'failed';
      const listing = format === 'text' && r.dryRun && r.outcome !== 'unchanged' ? dryRunText(plan, r.dryRun) : '';
      return { exitCode: failed ? 1 : 0, stdout: format === 'json' ? `${JSON.stringify(runJson(r), null, 2)}\n` : listing + applyText(r, def.id), stderr: '' };
    };
    // With --yes nothing waits between the dry run and the apply: the engine's own dry run is the one.
    if (raw.yes && !raw.dryRun) return await run();
    const dry = await dryRun(c.conn, plan, { progress: progressLine(env, format) });
    if (!dry.ok) return { exitCode: 1, stdout: format === 'json' ? `${JSON.stringify({ outcome: 'failed', message: dry.message }, null, 2)}\n` : '', stderr: `${name}: ${dry.message}\n` };
    const report = dry.report;
    if (raw.dryRun) {
      return { exitCode: 0, stdout: format === 'json' ? `${JSON.stringify({ plan: planJson(plan, planned.questions ?? []), dryRun: report }, null, 2)}\n` : dryRunText(plan, report), stderr: '' };
    }
    // Nothing would change: no question to ask; apply says so and verifies.
    if (!report.outcomes.some((o) => o.action !== 'unchanged' && o.action !== 'absent')) return await run();
    if (format === 'text') env.progress?.(dryRunText(plan, report).trimEnd());
    // Deletions are asked for by count: the listing above names each one.
    const deleting = report.outcomes.filter((o) => o.action === 'delete').length;
    const deletes = deleting > 0 ? `, deleting the ${deleting} object${deleting === 1 ? '' : 's'} listed` : '';
    const answer = await confirmed(env, raw.yes, `Apply to context ${c.conn.context}${plan.target.namespace ? `/${plan.target.namespace}` : ''}${deletes}?`);
    if (answer === 'no-terminal') return { exitCode: 2, stdout: '', stderr: `${name}: not applied: no terminal to ask on; rerun with --yes to apply.\n` };
    if (answer === 'no') return { exitCode: 1, stdout: '', stderr: `${name}: not applied.\n` };
    // The engine dry-runs again: the cluster may have changed while the question waited.
    return await run();
  } finally {
    c.conn.dispose();
  }
}

export function undoCommand(def: OperationDefinition, env: CommandEnv, cmd: Command): void {
  cmd.summary(`reverse ${def.title.toLowerCase()} from the undo journal`).description(`Undo ${def.title.toLowerCase()}: every standing run, latest first (or one with --run), restoring exactly the fields each recorded. Objects someone changed since are conflicts: nothing is changed unless --force.`);
  cmd.optionsGroup('Undo:');
  cmd.option('--run <id>', 'undo this run only (kvstorage status lists them)');
  cmd.option('--dry-run', 'show what undo would do, change nothing');
  cmd.option('-y, --yes', 'undo without asking (needed where there is no terminal)');
  cmd.option('--force', 'undo even where objects changed since (their changes are overwritten)');
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', exitHelp);
  cmd.action(
    respond(async (raw: CommonOptions & { run?: string; dryRun?: boolean; yes?: boolean; force?: boolean }) => {
      const format = raw.format ?? 'text';
      const name = `kvstorage ${commandPath(cmd)}`;
      const c = await open(raw, env, name);
      if (!c.ok) return c.result;
      const ns = raw.journalNamespace ?? DEFAULT_JOURNAL_NAMESPACE;
      const sel = raw.run ? { runId: raw.run } : { operations: [def.id, ...(def.undoAlso ?? [])] };
      try {
        const p = await previewUndo(c.conn, ns, { ...sel, force: raw.force === true });
        if (!p.ok) return { exitCode: 2, stdout: '', stderr: `${name}: ${p.message}\n` };
        const text = undoPreviewText(p.preview);
        const conflicts = p.preview.runs.flatMap((r) => r.conflicts);
        const steps = p.preview.runs.flatMap((r) => r.steps).filter((s) => s.kind !== 'skip');
        if (raw.dryRun || steps.length === 0 || (conflicts.length > 0 && !raw.force)) {
          const code = conflicts.length > 0 && !raw.force ? 1 : 0;
          return { exitCode: code, stdout: format === 'json' ? `${JSON.stringify(p.preview, null, 2)}\n` : text, stderr: code ? `${name}: stopped before changing anything: objects changed since (rerun with --force to overwrite them).\n` : '' };
        }
        if (format === 'text' && !raw.yes) env.progress?.(text.trimEnd());
        const answer = await confirmed(env, raw.yes, `Undo on context ${c.conn.context}?`);
        if (answer === 'no-terminal') return { exitCode: 2, stdout: '', stderr: `${name}: not undone: no terminal to ask on; rerun with --yes.\n` };
        if (answer === 'no') return { exitCode: 1, stdout: '', stderr: `${name}: not undone.\n` };
        const r = await undoRuns(c.conn, ns, sel, { force: raw.force === true, progress: progressLine(env, format) });
        return { exitCode: r.ok ? 0 : 1, stdout: format === 'json' ? `${JSON.stringify({ ok: r.ok, message: r.message, conflicts: r.conflicts.map((x) => x.message) }, null, 2)}\n` : `${r.message}\n`, stderr: '' };
      } finally {
        c.conn.dispose();
      }
    }),
  );
}

function statusCommand(def: OperationDefinition, env: CommandEnv, cmd: Command): void {
  cmd.summary(`what is deployed, and the runs in the undo journal`);
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', exitHelp);
  cmd.action(
    respond(async (raw: CommonOptions) => {
      const c = await open(raw, env, `kvstorage ${commandPath(cmd)}`);
      if (!c.ok) return c.result;
      const ns = raw.journalNamespace ?? DEFAULT_JOURNAL_NAMESPACE;
      try {
        const s = def.status ? await def.status(c.conn, { now: new Date() }) : { ok: true as const, summary: def.title, details: [], data: undefined };
        if (!s.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage status ${def.id}: ${s.message}\n` };
        const runs = await listJournals(c.conn, ns);
        const mine = new Set([def.id, ...(def.undoAlso ?? [])]);
        const list = runs.ok ? runs.value.map((r) => r.journal).filter((j) => mine.has(j.operation)) : [];
        const note = runs.ok ? '' : `note: the undo journals in namespace ${ns} cannot be read: ${runs.error.message}\n`;
        if (raw.format === 'json') return { exitCode: 0, stdout: `${JSON.stringify({ summary: s.summary, details: s.details, status: s.data, journalNamespace: ns, runs: list }, null, 2)}\n`, stderr: note };
        return { exitCode: 0, stdout: statusText(s.summary, s.details, list, ns), stderr: note };
      } finally {
        c.conn.dispose();
      }
    }),
  );
}

export function register(program: Command, env: CommandEnv): void {
  const verbs: [string, string, (d: OperationDefinition, e: CommandEnv, v: Command) => void][] = [
    ['plan', 'print what an operation would do to the cluster (nothing is changed)', planCommand],
    ['apply', 'run an operation: dry run, confirm, apply, verify, with an undo journal in the cluster', applyCommand],
    ['undo', 'reverse an operation from its undo journal in the cluster', undoCommand],
    ['status', "an operation's state on the cluster and its runs", statusCommand],
  ];
  for (const [name, summary, add] of verbs) {
    const verb = program.command(name).summary(summary).description(`${summary[0]!.toUpperCase()}${summary.slice(1)}. Operations: ${operations.map((o) => o.id).join(', ')}.`);
    for (const def of operations) add(def, env, verb.command(def.id));
  }
}

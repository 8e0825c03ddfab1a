/**
 * `kvstorage resize start|list|status|watch|describe|rollback|delete`: migcontroller's VolumeResize from a
 * terminal. `start`, `rollback` and `delete` run their operations through the engine (cli/operations.ts
 * `applyOperation`: the same path as `kvstorage apply`); the others print what `volmig` prints (cli/resizeFormat.ts),
 * in the kube context's namespace (volmig's default is `default`), follow through a watch (not volmig's 2 s
 * polling), and exit 1 on a Failed migration.
 */
import { Option, type Command } from 'commander';
import type { ClusterConnection } from '../cluster/connection.js';
import { checkOptions, operation } from '../cluster/ops/registry.js';
import { readVr } from '../cluster/ops/volumeResize/read.js';
import { waitForObject } from '../cluster/watchObject.js';
import { VOLUME_RESIZE_DELETE_OPERATION } from '../core/ops/volumeResize/delete.js';
import { VOLUME_RESIZE_ROLLBACK_OPERATION } from '../core/ops/volumeResize/rollback.js';
import { VOLUME_RESIZE_START_OPERATION } from '../core/ops/volumeResize/start.js';
import { isTerminal, readVolumeResize, VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, type VolumeResizeView } from '../core/volumeResize/model.js';
import { respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { applyOperation, clusterOptions, open, type ApplyFlags, type CommonOptions } from './operations.js';
import { valueOf } from './options.js';
import { describeText, gridJson, listText, localClock, statusText, watchEnd, watchKey, watchLine, type Clock } from './resizeFormat.js';

interface ReadOptions extends CommonOptions {
  namespace?: string;
  output?: string;
}

/** How long a watch follows a migration before giving up (a migration of large volumes takes hours). */
const watchDeadlineMs = 7 * 24 * 3600 * 1000;

function outputOption(choices: readonly string[]): Option {
  return new Option('-o, --output <format>', `output format: ${choices.join(', ')} (default: text)`).argParser(
    valueOf('--output', (v) => {
      if (!choices.includes(v)) throw new UsageError(`unknown output '${v}' (expected ${choices.join(', ')})`);
      return v;
    }),
  );
}

function namespaceOption(): Option {
  return new Option('-n, --namespace <ns>', "the namespace (default: the kube context's)").argParser(valueOf('--namespace', (v) => v));
}

function applyFlags(cmd: Command): Command {
  cmd.optionsGroup('Apply:');
  return cmd
    .option('--dry-run', 'plan and dry-run only: print what would change, change nothing')
    .option('-y, --yes', 'apply without asking (needed where there is no terminal)')
    .option('--force', 'apply even where the tools advise against it');
}

const exitHelp = `
Exit status: 0 done, 1 the migration Failed (or the operation failed, stopped, or its verification failed),
2 usage error, a cluster that cannot be reached or read, or a refusal (no terminal and no --yes, advice
without --force, a check that says the migration would fail).`;

/** Writes a live line: straight to the terminal when the environment can, else kept for the result. */
function sink(env: CommandEnv): { write(text: string): void; taken(): string } {
  let kept = '';
  return { write: (t) => (env.stdout ? env.stdout(t) : void (kept += t)), taken: () => kept };
}

/**
 * Follows one VolumeResize through a watch until Completed or Failed: a line whenever its phase, replica,
 * volume or message changes (NDJSON objects with `-o json`), then volmig's last words.
 */
async function follow(conn: ClusterConnection, ns: string, name: string, env: CommandEnv, json: boolean, clock: Clock, out = sink(env)): Promise<CommandResult> {
  if (!json) out.write(`Watching VolumeResize '${name}' in namespace '${ns}'...\n\n`);
  let last = '';
  let final: VolumeResizeView | undefined;
  const r = await waitForObject(
    conn,
    VOLUME_RESIZE_API_VERSION,
    VOLUME_RESIZE_KIND,
    ns,
    name,
    (o) => {
      if (!o) return { done: true, ok: false, message: `VolumeResize ${ns}/${name} was deleted` };
      const vr = readVolumeResize(o);
      if (!vr) return { done: false, message: 'unreadable' };
      const key = watchKey(vr);
      if (key !== last) {
        last = key;
        out.write(json ? `${JSON.stringify({ at: new Date().toISOString(), phase: vr.status.phase || 'Pending', currentReplica: vr.status.currentReplica ?? null, currentVolume: vr.status.currentVolume ?? null, message: vr.status.message ?? '', grid: gridJson(vr) })}\n` : watchLine(vr, new Date(), clock));
      }
      if (!isTerminal(vr.status.phase)) return { done: false, message: key };
      final = vr;
      return { done: true, ok: vr.status.phase === 'Completed', message: vr.status.phase };
    },
    { timeoutMs: watchDeadlineMs, what: `VolumeResize ${ns}/${name}`, goal: 'finish' },
  );
  if (!r.ok) return { exitCode: 2, stdout: out.taken(), stderr: `kvstorage resize watch: ${r.error.message}\n` };
  if (!final) return { exitCode: 2, stdout: out.taken(), stderr: `kvstorage resize watch: ${r.value.message}\n` };
  const end = watchEnd(final);
  if (!json) out.write(end.stdout);
  return { exitCode: end.exitCode, stdout: out.taken(), stderr: end.stderr };
}

async function withConnection(raw: CommonOptions, env: CommandEnv, name: string, run: (conn: ClusterConnection) => Promise<CommandResult>): Promise<CommandResult> {
  const c = await open(raw, env, name);
  if (!c.ok) return c.result;
  try {
    return await run(c.conn);
  } finally {
    c.conn.dispose();
  }
}

function readCommand(resize: Command, name: string, summary: string, args: string, outputs: readonly string[]): Command {
  const cmd = resize.command(`${name}${args ? ` ${args}` : ''}`).summary(summary);
  cmd.addOption(namespaceOption()).addOption(outputOption(outputs));
  clusterOptions(cmd).addHelpText('after', exitHelp);
  return cmd;
}

/** Runs an operation of the group through the engine, as `kvstorage apply <id>` would. */
function runOperation(id: string, env: CommandEnv, given: Record<string, unknown>, raw: ApplyFlags & { output?: string }): Promise<CommandResult> {
  const def = operation(id)!;
  const checked = checkOptions(def, given);
  if (!checked.ok) throw new UsageError(checked.message);
  return applyOperation(def, checked.values, { ...raw, format: raw.output === 'json' ? 'json' : 'text' }, env, `kvstorage apply ${def.id}`);
}

export function register(program: Command, env: CommandEnv): void {
  const resize = program
    .command('resize')
    .summary("VolumeResize migrations (migcontroller): validate and start, follow, describe, roll back, delete")
    .description(
      'Shrink StatefulSet volumes with the VolumeResize operator (thomas-maurice/migcontroller), safely: start validates every replica ' +
        'first, list/status/watch/describe show what volmig shows (in the kube context\'s namespace, followed by a watch), rollback brings ' +
        'a Failed migration back to a working StatefulSet, delete says what the finalizer removes first.',
    );

  const start = resize
    .command('start <name>')
    .summary('validate, then create a VolumeResize (through the operations engine)')
    .requiredOption('--statefulset <name>', 'the StatefulSet whose volumes shrink')
    .requiredOption('--volume <name>', 'the volumeClaimTemplate to shrink (comma-separated for several)')
    .requiredOption('--size <quantity>', 'the new size, e.g. 4Gi (one per volume, comma-separated)')
    .option('--storage-class <class>', "the new PVCs' class (default: the original PVC's)")
    .option('--watch', 'follow the migration until it completes or fails (exit 1 on Failed)')
    .addOption(namespaceOption())
    .addOption(outputOption(['json']));
  applyFlags(start);
  clusterOptions(start).addHelpText('after', exitHelp);
  start.action(
    respond(async (name: string, raw: ApplyFlags & { statefulset: string; volume: string; size: string; storageClass?: string; watch?: boolean; namespace?: string; output?: string }) => {
      const r = await runOperation(VOLUME_RESIZE_START_OPERATION, env, { name, namespace: raw.namespace, statefulset: raw.statefulset, volume: raw.volume, size: raw.size, storageClass: raw.storageClass }, raw);
      if (!raw.watch || raw.dryRun || r.exitCode !== 0) return r;
      const out = sink(env);
      out.write(r.stdout);
      return withConnection(raw, env, 'kvstorage resize start', async (conn) => {
        const w = await follow(conn, raw.namespace ?? conn.namespace, name, env, raw.output === 'json', localClock(), out);
        return { ...w, stderr: r.stderr + w.stderr };
      });
    }),
  );

  readCommand(resize, 'list', 'the VolumeResizes of the namespace (or -A): phase, replica, message', '', ['wide', 'json'])
    .option('-A, --all-namespaces', 'in every namespace')
    .action(
      respond((raw: ReadOptions & { allNamespaces?: boolean }) => {
        if (raw.allNamespaces && raw.namespace !== undefined) throw new UsageError('-n/--namespace and -A/--all-namespaces exclude each other');
        return withConnection(raw, env, 'kvstorage resize list', async (conn) => {
          const ns = raw.namespace ?? conn.namespace;
          const list = await conn.list(VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, raw.allNamespaces ? undefined : ns);
          if (!list.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage resize list: ${list.error.message}\n` };
          const vrs = list.value.items.flatMap((o) => readVolumeResize(o) ?? []);
          if (raw.output === 'json') return { exitCode: 0, stdout: `${JSON.stringify({ items: list.value.items }, null, 2)}\n`, stderr: '' };
          return { exitCode: 0, stdout: listText(vrs, { allNamespaces: raw.allNamespaces === true, wide: raw.output === 'wide', namespace: ns, clock: localClock() }), stderr: '' };
        });
      }),
    );

  readCommand(resize, 'status', 'phase, message, the replica × volume table, timing, the backup (exit 1 on Failed)', '<name>', ['json'])
    .option('-f, --follow', 'then follow it until it completes or fails')
    .action(
      respond((name: string, raw: ReadOptions & { follow?: boolean }) =>
        withConnection(raw, env, 'kvstorage resize status', async (conn) => {
          const ns = raw.namespace ?? conn.namespace;
          const vr = await readVr(conn, ns, name);
          if (!vr.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage resize status: ${vr.message}\n` };
          const failed = vr.value.status.phase === 'Failed';
          const json = raw.output === 'json';
          const first = json ? `${JSON.stringify({ ...vr.value, phase: vr.value.status.phase || 'Pending', grid: gridJson(vr.value) }, null, 2)}\n` : statusText(vr.value, localClock());
          if (!raw.follow || isTerminal(vr.value.status.phase)) return { exitCode: failed ? 1 : 0, stdout: first, stderr: '' };
          const out = sink(env);
          out.write(first + (json ? '' : '\nFollowing status updates (Ctrl+C to stop)...\n\n'));
          return follow(conn, ns, name, env, json, localClock(), out);
        }),
      ),
    );

  readCommand(resize, 'watch', 'follow a migration through a watch: a line per change; exit 0 Completed, 1 Failed', '<name>', ['json']).action(
    respond((name: string, raw: ReadOptions) => withConnection(raw, env, 'kvstorage resize watch', (conn) => follow(conn, raw.namespace ?? conn.namespace, name, env, raw.output === 'json', localClock()))),
  );

  readCommand(resize, 'describe', 'spec, status, every volume status (old and new PVC, old PV), conditions', '<name>', ['json']).action(
    respond((name: string, raw: ReadOptions) =>
      withConnection(raw, env, 'kvstorage resize describe', async (conn) => {
        const vr = await readVr(conn, raw.namespace ?? conn.namespace, name);
        if (!vr.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage resize describe: ${vr.message}\n` };
        return { exitCode: vr.value.status.phase === 'Failed' ? 1 : 0, stdout: raw.output === 'json' ? `${JSON.stringify(vr.value, null, 2)}\n` : describeText(vr.value, localClock()), stderr: '' };
      }),
    ),
  );

  const rollback = resize
    .command('rollback <name>')
    .summary('roll a Failed migration back: old PVs under their original names, the StatefulSet restored (through the engine)')
    .option('--one-step', 'plan, confirm and apply one step at a time')
    .addOption(namespaceOption())
    .addOption(outputOption(['json']));
  applyFlags(rollback);
  clusterOptions(rollback).addHelpText('after', exitHelp);
  rollback.action(
    respond(async (name: string, raw: ApplyFlags & { oneStep?: boolean; namespace?: string; output?: string }) => {
      const given = { name, namespace: raw.namespace };
      if (!raw.oneStep || raw.dryRun) return runOperation(VOLUME_RESIZE_ROLLBACK_OPERATION, env, given, raw);
      // One step at a time: each plan holds the next step only; stop at the first that is not applied.
      const def = operation(VOLUME_RESIZE_ROLLBACK_OPERATION)!;
      let stdout = '';
      let stderr = '';
      for (let step = 1; step <= 8; step++) {
        const next = await withConnection(raw, env, 'kvstorage resize rollback', async (conn) => {
          const p = await def.plan(conn, { name, ...(raw.namespace ? { namespace: raw.namespace } : {}), oneStep: true }, { now: new Date() });
          return { exitCode: p.ok && p.plan.phases.length > 0 ? 0 : p.ok ? 1 : 2, stdout: '', stderr: p.ok ? '' : `kvstorage resize rollback: ${p.message}\n` } as CommandResult;
        });
        if (next.exitCode === 2) return { exitCode: 2, stdout, stderr: stderr + next.stderr };
        if (next.exitCode === 1) break;
        const r = await runOperation(VOLUME_RESIZE_ROLLBACK_OPERATION, env, { ...given, oneStep: true }, raw);
        stdout += r.stdout;
        stderr += r.stderr;
        if (r.exitCode !== 0) return { ...r, stdout, stderr };
      }
      return { exitCode: 0, stdout: stdout || 'Nothing left to roll back.\n', stderr };
    }),
  );

  const del = resize
    .command('delete <name>')
    .summary("delete a VolumeResize, saying first what its finalizer removes and what stays (through the engine)")
    .addOption(namespaceOption())
    .addOption(outputOption(['json']));
  applyFlags(del);
  clusterOptions(del).addHelpText('after', exitHelp);
  del.action(respond((name: string, raw: ApplyFlags & { namespace?: string; output?: string }) => runOperation(VOLUME_RESIZE_DELETE_OPERATION, env, { name, namespace: raw.namespace }, raw)));
}

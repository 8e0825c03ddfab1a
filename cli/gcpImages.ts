/**
 * `kvstorage gcp-images detect|plan|apply|verify|undo`: the GCP golden-image workaround from a terminal.
 * `detect` says which of the seven steps are needed, done, or not needed on this platform and why; `plan`,
 * `apply` and `undo` are the `gcp-images` operation through the engine (the same as `kvstorage plan|apply|undo
 * gcp-images`); `verify` is step 7, to run again until nothing is pending.
 */
import type { Command } from 'commander';
import { gcpImagesOperation, assessGcpImages } from '../cluster/ops/gcpImages/operation.js';
import type { Detection } from '../core/ops/gcpImages/detect.js';
import type { VerifyReport } from '../core/ops/gcpImages/verify.js';
import { respond, type CommandEnv, type CommandResult } from './command.js';
import { addOperationOptions, applyCommand, clusterOptions, formatOption, open, operationValues, planCommand, undoCommand, type CommonOptions } from './operations.js';

const def = gcpImagesOperation;

export function detectionJson(context: string, d: Detection): object {
  return {
    context,
    ...(d.blocked ? { blocked: d.blocked } : {}),
    steps: d.steps.map((s) => ({ step: s.step, id: s.id, title: s.title, state: s.state, reason: s.reason })),
    problems: d.problems,
    notes: d.notes,
    verification: d.verification,
  };
}

const mark = { needed: 'needed    ', done: 'done      ', 'not-needed': 'not needed' } as const;

export function detectionText(context: string, d: Detection): string {
  const lines = [`GCP golden-image workaround on context ${context}:`];
  if (d.blocked) lines.push(`  ${d.blocked}`);
  for (const s of d.steps) lines.push(`  ${s.step}. ${mark[s.state]}  ${s.title}: ${s.reason}`);
  if (d.problems.length > 0) lines.push('Cannot plan:', ...d.problems.map((p) => `  - ${p}`));
  if (d.notes.length > 0) lines.push('Notes:', ...d.notes.map((n) => `  - ${n}`));
  const needed = d.steps.filter((s) => s.state === 'needed' && s.id !== 'verify').length;
  if (!d.blocked) lines.push(needed > 0 ? `${needed} step${needed === 1 ? '' : 's'} to apply: kvstorage gcp-images plan, then apply.` : 'Nothing to apply. Step 7: kvstorage gcp-images verify.');
  return `${lines.join('\n')}\n`;
}

const icon = { passed: 'passed ', pending: 'pending', failed: 'FAILED ' } as const;

export function verifyText(context: string, r: VerifyReport): string {
  const word = { verified: 'verified', pending: 'pending (run it again later)', failed: 'not working' }[r.state];
  return `${[`GCP golden-image workaround on context ${context}: ${word}`, ...r.items.map((i) => `  ${icon[i.state]}  ${i.title}: ${i.message}`)].join('\n')}\n`;
}

type Raw = Record<string, unknown> & CommonOptions;

async function assessed(raw: Raw, env: CommandEnv, run: (context: string, d: Detection) => CommandResult): Promise<CommandResult> {
  const values = operationValues(def, raw);
  const c = await open(raw, env, 'kvstorage gcp-images');
  if (!c.ok) return c.result;
  try {
    const a = await assessGcpImages(c.conn, values);
    if (!a.ok) return { exitCode: 2, stdout: '', stderr: `kvstorage gcp-images: ${a.message}\n` };
    return run(c.conn.context, a.assessed.detection);
  } finally {
    c.conn.dispose();
  }
}

/** A subcommand that reads the cluster once and answers from the detection (detect, verify). */
function readingCommand(group: Command, env: CommandEnv, name: string, summary: string, exit: string, answer: (raw: Raw, context: string, d: Detection) => CommandResult): void {
  const cmd = group.command(name).summary(summary);
  addOperationOptions(cmd, def);
  clusterOptions(cmd).addOption(formatOption()).addHelpText('after', `\nExit status: ${exit}`);
  cmd.action(respond((raw: Raw) => assessed(raw, env, (context, d) => answer(raw, context, d))));
}

function detectCommand(group: Command, env: CommandEnv): void {
  readingCommand(group, env, 'detect', 'which of the seven steps are needed, done, or not needed on this platform, and why (nothing is changed)', '0 detected (whatever the steps say), 2 a usage error or a cluster that cannot be reached or read.', (raw, context, d) => ({
    exitCode: 0,
    stdout: raw.format === 'json' ? `${JSON.stringify(detectionJson(context, d), null, 2)}\n` : detectionText(context, d),
    stderr: '',
  }));
}

function verifyCommand(group: Command, env: CommandEnv): void {
  readingCommand(group, env, 'verify', 'step 7: the StorageProfile, the re-imported golden-image snapshots and new VM disks; run again until nothing is pending', '0 verified, 1 something is still pending or not working, 2 a usage error or a cluster that cannot be reached or read.', (raw, context, d) => ({
    exitCode: d.verification.state === 'verified' ? 0 : 1,
    stdout: raw.format === 'json' ? `${JSON.stringify({ context, ...d.verification }, null, 2)}\n` : verifyText(context, d.verification),
    stderr: '',
  }));
}

export function register(program: Command, env: CommandEnv): void {
  const group = program
    .command('gcp-images')
    .summary('the GCP golden-image workaround: detect, plan, apply, verify and undo')
    .description(
      'Golden images on GCP PD as snapshot-type images (restorable into ReadWriteMany hyperdisk without the 6-restores-per-hour limit): detect what the cluster has and needs, then plan, apply and undo the needed steps through the operations engine (the same as kvstorage plan|apply|undo gcp-images), and verify the re-import.',
    );
  detectCommand(group, env);
  planCommand(def, env, group.command('plan'));
  applyCommand(def, env, group.command('apply'));
  verifyCommand(group, env);
  undoCommand(def, env, group.command('undo'));
}

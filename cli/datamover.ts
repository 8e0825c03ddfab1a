/**
 * `kvstorage datamover plan`: the argument layer (a command group with its subcommand, options and help, on
 * commander). The work is in datamoverPlan.ts.
 */
import { Option, type Command } from 'commander';
import { controllerOverheadPercent } from '../core/datamover/sizing.js';
import { defaultTimeoutMs } from './cluster.js';
import { respond, UsageError, type CommandEnv } from './command.js';
import { runDatamoverPlan, type DatamoverPlanOptions } from './datamoverPlan.js';
import { namespaceOption, nonEmptyOption, timeoutOption, valueOf } from './options.js';

const description = `Plans a restore from OADP's kubevirt datamover over a local copy of the backup storage
location's <prefix>-kubevirt-datamover/ folder (checkpoints/<ns>/<vm>/index.json,
manifests/<backup>/...): per VM and disk the PVCs the controller creates and their sizes
(calculateScratchPVCSize and friends) beside the design document's figure, the target
PVCs, whether each backup chain is whole, what deleting the backup would remove, and the
restore commands (qemu-img rebase, then convert) in the safe order. A manifest named as
the path plans its backup; a VM index, its VM.`;

const exitStatus = `
Exit status: 0 every planned chain whole, 1 a chain is broken (or another error finding),
2 usage or I/O error (also: --verify without qemu-img, a cluster that cannot be read).`;

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

interface RawPlanOptions {
  backup?: string;
  storageClass?: string;
  namespace?: string;
  oadpNamespace?: string;
  volumeMode?: 'Block' | 'Filesystem';
  overheadPercent?: number;
  kubeconfig?: string;
  context?: string;
  timeout?: number;
  verify?: boolean;
  format?: 'text' | 'json';
}

function choice<T extends string>(flags: string, text: string, values: readonly T[], flag: string): Option {
  return new Option(flags, text).argParser(
    valueOf(flag, (v) => {
      if (!(values as readonly string[]).includes(v)) throw new UsageError(flag === '--format' ? `unknown format '${v}' (expected ${values.join(', ')})` : `invalid ${flag} '${v}' (expected ${values.join(' or ')})`);
      return v as T;
    }),
  );
}

function nameOption(flags: string, text: string, flag: string): Option {
  return new Option(flags, text).argParser(
    valueOf(flag, (v) => {
      if (!NAME.test(v)) throw new UsageError(`invalid ${flag} '${v}' (expected a Kubernetes name)`);
      return v;
    }),
  );
}

function definePlan(group: Command): Command {
  const cmd = group
    .command('plan')
    .summary('staging sizes, whole chains and restore commands for a local copy of the prefix')
    .description(description)
    .argument('<dir-or-index>', 'the local copy of the <prefix>-kubevirt-datamover/ folder, or one of its index files');
  cmd.optionsGroup('Plan:');
  cmd
    .addOption(nonEmptyOption('--backup <name>', 'plan this backup only (default: every backup found)', '--backup', "option '--backup' needs a value"))
    .addOption(nameOption('--storage-class <name>', "the class the PVCs get (default: the cluster's default class)", '--storage-class'))
    .addOption(namespaceOption('--namespace <ns>', "namespace of the target PVCs (default: each VM's namespace)", (v) => `invalid --namespace '${v}'`))
    .addOption(nameOption('--oadp-namespace <ns>', 'namespace of the staging PVCs (default: openshift-adp)', '--oadp-namespace'))
    .addOption(choice('--volume-mode <mode>', "the target PVCs' volume mode: Block (the design's; a work and an output PVC per disk) or Filesystem (default: Block)", ['Block', 'Filesystem'], '--volume-mode'))
    .addOption(
      new Option('--overhead-percent <n>', `headroom on staging PVCs, percent (default: ${controllerOverheadPercent}, the controller's)`).argParser(
        valueOf('--overhead-percent', (v) => {
          if (!/^\d{1,4}$/.test(v)) throw new UsageError(`invalid --overhead-percent '${v}' (expected a whole number, e.g. 20)`);
          return Number(v);
        }),
      ),
    )
    .option('--verify', 'run qemu-img info on each qcow2 file: formats, backing files (which prove a -u rebase safe) and virtual sizes')
    .addOption(choice('-f, --format <format>', 'output format: text, json (default: text)', ['text', 'json'], '--format'));
  cmd.optionsGroup('Cluster (StorageProfile minimum, ResourceQuotas):');
  cmd
    .addOption(nonEmptyOption('--kubeconfig <file>', "read the class's StorageProfile minimum and the namespaces' ResourceQuotas from this kubeconfig's cluster", '--kubeconfig', "option '--kubeconfig' needs a value"))
    .addOption(nonEmptyOption('--context <name>', 'kubeconfig context (default: its current-context); alone, it reads the kubeconfig as kubectl does', '--context', "option '--context' needs a value"))
    .addOption(timeoutOption('with a cluster: give up after this many seconds'));
  cmd.optionsGroup('Options:');
  return cmd.addHelpText('after', exitStatus);
}

function planOptions(path: string, raw: RawPlanOptions): DatamoverPlanOptions {
  const cluster = raw.kubeconfig !== undefined || raw.context !== undefined;
  if (raw.timeout !== undefined && !cluster) throw new UsageError('--timeout applies to a cluster: give --kubeconfig or --context too');
  const o: DatamoverPlanOptions = {
    path,
    format: raw.format ?? 'text',
    verify: raw.verify === true,
    overheadPercent: raw.overheadPercent ?? controllerOverheadPercent,
    volumeMode: raw.volumeMode ?? 'Block',
    oadpNamespace: raw.oadpNamespace ?? 'openshift-adp',
  };
  for (const k of ['backup', 'storageClass', 'namespace', 'kubeconfig', 'context'] as const) if (raw[k] !== undefined) o[k] = raw[k];
  if (cluster) o.timeoutMs = raw.timeout ?? defaultTimeoutMs;
  return o;
}

export function register(program: Command, env: CommandEnv): void {
  const group = program.command('datamover').summary("restores from OADP's kubevirt datamover: 'datamover plan'");
  definePlan(group).action(respond((path: string, raw: RawPlanOptions) => runDatamoverPlan(planOptions(path, raw), env)));
}

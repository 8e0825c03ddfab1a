/**
 * `kvstorage datamover plan`: the argument layer (options, help, validation). The work is in datamoverPlan.ts.
 */
import { controllerOverheadPercent } from '../core/datamover/sizing.js';
import type { Command, CommandEnv, CommandResult } from './command.js';
import { usageError } from './command.js';
import { defaultTimeoutMs } from './cluster.js';
import { runDatamoverPlan, type DatamoverPlanOptions } from './datamoverPlan.js';
import { parseTimeout } from './doctorArgs.js';

export const datamoverHelp = `Usage: kvstorage datamover plan <dir-or-index> [options]

Plans a restore from OADP's kubevirt datamover over a local copy of the backup storage
location's <prefix>-kubevirt-datamover/ folder (checkpoints/<ns>/<vm>/index.json,
manifests/<backup>/...): per VM and disk the PVCs the controller creates and their sizes
(calculateScratchPVCSize and friends) beside the design document's figure, the target
PVCs, whether each backup chain is whole, what deleting the backup would remove, and the
restore commands (qemu-img rebase, then convert) in the safe order.

Options:
  --backup <name>              plan this backup only (default: every backup found)
  --storage-class <name>       the class the PVCs get (default: the cluster's default class)
  --namespace <ns>             namespace of the target PVCs (default: each VM's namespace)
  --oadp-namespace <ns>        namespace of the staging PVCs (default: openshift-adp)
  --volume-mode <Block|Filesystem>
                               the target PVCs' volume mode (default: Block, the design's);
                               Block gets a work and an output PVC per disk
  --overhead-percent <n>       headroom on staging PVCs (default: ${controllerOverheadPercent}, the controller's)
  --kubeconfig <file>          check the class's StorageProfile minimum and the ResourceQuotas
                               of the namespaces in this cluster
  --context <name>             kubeconfig context (default: its current-context)
  --timeout <seconds>          with a cluster: give up after this long (default: ${defaultTimeoutMs / 1000})
  --verify                     run qemu-img info on each qcow2 file: formats, backing files
                               (which prove a rebase with -u safe) and virtual sizes
  --format <text|json>         output format (default: text)
  -h, --help                   show this help

Exit status: 0 every chain whole, 1 a chain is broken (or another error finding),
2 usage or I/O error (also: --verify without qemu-img, a cluster that cannot be read).
`;

const valueOptions = new Set(['--backup', '--storage-class', '--namespace', '--oadp-namespace', '--volume-mode', '--overhead-percent', '--kubeconfig', '--context', '--timeout', '--format']);
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export type ParsedDatamoverArgs = { kind: 'options'; options: DatamoverPlanOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseDatamoverArgs(argv: readonly string[]): ParsedDatamoverArgs {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') return { kind: 'help' };
  if (sub !== 'plan') return { kind: 'error', message: `unknown subcommand '${sub}' (subcommands: plan)` };
  const options: DatamoverPlanOptions = { path: '', format: 'text', verify: false, overheadPercent: controllerOverheadPercent, volumeMode: 'Block', oadpNamespace: 'openshift-adp' };
  const paths: string[] = [];
  let timeoutMs: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    if (arg === '--verify') {
      options.verify = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!valueOptions.has(name)) return { kind: 'error', message: `unknown option '${name}'` };
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('-'))) return { kind: 'error', message: `option '${name}' needs a value` };
    const problem = applyOption(options, name, value);
    if (problem) return { kind: 'error', message: problem };
    if (name === '--timeout') {
      timeoutMs = parseTimeout(value);
      if (timeoutMs === undefined) return { kind: 'error', message: `invalid --timeout '${value}' (expected seconds, e.g. 30 or 2.5)` };
    }
  }
  if (paths.length !== 1) return { kind: 'error', message: paths.length === 0 ? 'name the local copy of the prefix (a folder) or one of its index files' : `one path only (got ${paths.length})` };
  options.path = paths[0]!;
  const cluster = options.kubeconfig !== undefined || options.context !== undefined;
  if (timeoutMs !== undefined && !cluster) return { kind: 'error', message: '--timeout applies to a cluster: give --kubeconfig or --context too' };
  if (cluster) options.timeoutMs = timeoutMs ?? defaultTimeoutMs;
  return { kind: 'options', options };
}

function applyOption(o: DatamoverPlanOptions, name: string, value: string): string | undefined {
  switch (name) {
    case '--format':
      if (value !== 'text' && value !== 'json') return `unknown format '${value}' (expected text, json)`;
      o.format = value;
      return undefined;
    case '--volume-mode':
      if (value !== 'Block' && value !== 'Filesystem') return `invalid --volume-mode '${value}' (expected Block or Filesystem)`;
      o.volumeMode = value;
      return undefined;
    case '--overhead-percent': {
      if (!/^\d{1,4}$/.test(value)) return `invalid --overhead-percent '${value}' (expected a whole number, e.g. 20)`;
      o.overheadPercent = Number(value);
      return undefined;
    }
    case '--backup':
      o.backup = value;
      return undefined;
    case '--storage-class':
    case '--namespace':
    case '--oadp-namespace':
      if (!NAME.test(value)) return `invalid ${name} '${value}' (expected a Kubernetes name)`;
      if (name === '--storage-class') o.storageClass = value;
      else if (name === '--namespace') o.namespace = value;
      else o.oadpNamespace = value;
      return undefined;
    case '--kubeconfig':
      o.kubeconfig = value;
      return undefined;
    case '--context':
      o.context = value;
      return undefined;
    default:
      return undefined;
  }
}

async function run(argv: string[], env: CommandEnv): Promise<CommandResult> {
  const parsed = parseDatamoverArgs(argv);
  if (parsed.kind === 'help') return { exitCode: argv.length === 0 ? 2 : 0, stdout: argv.length === 0 ? '' : datamoverHelp, stderr: argv.length === 0 ? datamoverHelp : '' };
  if (parsed.kind === 'error') return usageError('datamover', parsed.message);
  return runDatamoverPlan(parsed.options, env);
}

export const datamoverCommand: Command = {
  summary: "plan a restore from OADP's kubevirt datamover: staging sizes, whole chains, commands",
  run,
};

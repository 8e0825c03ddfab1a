/** `kvstorage doctor`'s command line: options, help, validation. */
import type { Command } from 'commander';
import { UsageError } from './command.js';
import { defaultTimeoutMs } from './cluster.js';
import { checks } from './doctorChecks.js';
import type { FailOn } from './failOn.js';
import { addReportOptions, cdiVersionOption, namespaceOption, nonEmptyOption, rulesHelp, ruleSelection, strictProvisionerOption, timeoutOption } from './options.js';
import type { OutputFormat, ReportOptionValues, RuleSelection } from './options.js';
import { parseOnly, type Parsed } from './program.js';

export interface DoctorOptions {
  format: OutputFormat;
  kubeconfig?: string;
  context?: string;
  /** `-n`: this namespace (else the context's). */
  namespace?: string;
  /** `-A`: every namespace. */
  allNamespaces: boolean;
  cdiVersion?: string;
  /** Replaces the default list when given. */
  strictProvisioners?: string[];
  timeoutMs: number;
  /** `--fail-on`; absent: error. */
  failOn?: FailOn;
  /** `--enable`/`--disable`; absent: every check. */
  rules?: RuleSelection;
  /** `--probe`: ask the API server (dry-run creates) what it stores for each kind of restore PVC. */
  probe: boolean;
  /** `--config`; absent: the nearest .kvstorage.yaml. */
  config?: string;
}

interface RawDoctorOptions extends ReportOptionValues {
  config?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  cdiVersion?: string;
  strictProvisioner?: string[];
  timeout?: number;
  probe?: boolean;
}

export type ParsedDoctorArgs = Parsed<DoctorOptions>;

const description = `Scans a cluster for KubeVirt/CDI storage problems: VM snapshots whose restore will fail
(vm-restore-inflation), StorageProfiles without claimPropertySets, several default
VolumeSnapshotClasses for one driver, several default (or virt-default) StorageClasses,
VolumeSnapshots without a restoreSize. Reads the cluster; changes nothing. With --probe it
also asks the API server what it would store for each kind of restore PVC (a server-side dry-run
create: nothing is kept) and reports where the prediction differs (prediction-mismatch).`;

const after = `
Cluster-scoped checks (storage classes, profiles, snapshot classes) always cover the whole cluster.
--probe sends one dry run per storage class × label × volume mode seen among the VM snapshots'
restore PVCs, in their namespace; it needs permission to create PersistentVolumeClaims there.
In one namespace, text output also says how many findings other namespaces hold (when you may
list them there): run with -A to see them. API groups the cluster does not serve are noted on
stderr and their checks skipped.

Exit status: 0 no findings at --fail-on or above (default: no errors), 1 such findings, 2 usage
error, or the cluster could not be reached or read (missing kubeconfig, unknown context,
unreachable, unauthorized, forbidden).`;

/** The `doctor` command with its options and help (no action: `register` and the tests add one). */
export function defineDoctor(program: Command): Command {
  const cmd = program.command('doctor').summary('scan a cluster for KubeVirt/CDI storage problems (VM restores that will fail, default classes, profiles)').description(description);
  // Operands are refused by doctorOptions, with a word on why (commander's "too many arguments" says less).
  cmd.allowExcessArguments();
  cmd.optionsGroup('Cluster:');
  cmd
    .addOption(nonEmptyOption('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config, as kubectl)', '--kubeconfig', "option '--kubeconfig' needs a file"))
    .addOption(nonEmptyOption('--context <name>', 'kubeconfig context (default: its current-context)', '--context', "option '--context' needs a context name"))
    .addOption(namespaceOption('-n, --namespace <ns>', "scan this namespace (default: the context's namespace)", (v) => `invalid namespace '${v}'`))
    .option('-A, --all-namespaces', 'scan every namespace')
    .addOption(timeoutOption('give up after this many seconds'));
  addReportOptions(cmd);
  cmd.optionsGroup('Analysis:');
  cmd
    .addOption(cdiVersionOption("the CDI CR's status.observedVersion"))
    .addOption(strictProvisionerOption())
    .addOption(nonEmptyOption('--config <file>', 'repository settings (default: the nearest .kvstorage.yaml)', '--config', "option '--config' needs a value"));
  cmd.option('--probe', "ask the API server what it stores for each kind of restore PVC (dry-run creates, nothing kept) and compare with the prediction");
  cmd.optionsGroup('Options:');
  return cmd.addHelpText('after', () => `${rulesHelp(checks.map((c) => c.rule))}\n${after}`);
}

export function doctorOptions(raw: RawDoctorOptions, cmd: Command): DoctorOptions {
  const unexpected = cmd.args[0];
  if (unexpected !== undefined) throw new UsageError(`unexpected argument '${unexpected}' (doctor reads the cluster, not files)`);
  if (raw.allNamespaces && raw.namespace !== undefined) throw new UsageError('-n/--namespace and -A/--all-namespaces exclude each other');
  const selection = ruleSelection(raw.enable, raw.disable);
  const o: DoctorOptions = { format: raw.format ?? 'text', allNamespaces: raw.allNamespaces === true, timeoutMs: raw.timeout ?? defaultTimeoutMs, probe: raw.probe === true };
  if (raw.kubeconfig !== undefined) o.kubeconfig = raw.kubeconfig;
  if (raw.context !== undefined) o.context = raw.context;
  if (raw.namespace !== undefined) o.namespace = raw.namespace;
  if (raw.cdiVersion !== undefined) o.cdiVersion = raw.cdiVersion;
  if (raw.strictProvisioner !== undefined) o.strictProvisioners = raw.strictProvisioner;
  if (raw.failOn !== undefined) o.failOn = raw.failOn;
  if (selection) o.rules = selection;
  if (raw.config !== undefined) o.config = raw.config;
  return o;
}

/** `doctor`'s arguments (without the command name) as options, help or a usage error; nothing runs. */
export function parseDoctorArgs(argv: readonly string[]): ParsedDoctorArgs {
  return parseOnly(defineDoctor, doctorOptions, argv);
}

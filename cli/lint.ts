/**
 * `kvstorage lint`: read the manifests, run the analysis, print findings. Offline by default; with
 * `--kubeconfig`/`--context` the cluster's facts (snapshots, classes, profiles, CDI version and overhead) are
 * layered under the manifests'. Exit 0 without findings at `--fail-on` (error) or above, 1 with, 2 on usage
 * or I/O errors (an unreachable or unreadable cluster included).
 */
import type { Command } from 'commander';
import { datamoverFileRules } from '../core/datamover/rules.js';
import { noCluster, type ClusterFactsProvider } from '../core/facts.js';
import { findingsByObject } from '../core/findingObjects.js';
import { FILE_UNREADABLE, fileUnreadableFinding } from '../core/rules/fileUnreadable.js';
import { rules } from '../core/rules/index.js';
import type { Finding, Settings, SourceFile } from '../core/types.js';
import { defaultSettings } from '../core/types.js';
import type { RuleRunner } from '../core/rules/rule.js';
import { Workspace, type AnalyzeOptions } from '../core/workspace.js';
import { datamoverRole } from '../core/datamover/layout.js';
import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { defaultTimeoutMs } from './cluster.js';
import { respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { failsAt, type FailOn } from './failOn.js';
import { readInputs } from './files.js';
import { formatJson, jsonStream } from './format/json.js';
import { formatLintJunit, type LintJunitFile } from './format/junit.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { lintCaches, lookAtCluster } from './lintCluster.js';
import { analyzeInWorkers, workersFor } from './lintParallel.js';
import { valueOf, addReportOptions, cdiVersionOption, namespaceOption, nonEmptyOption, ruleEnabled, rulesHelp, ruleSelection, strictProvisionerOption, timeoutOption } from './options.js';
import type { OutputFormat, ReportOptionValues, RuleSelection } from './options.js';
import { parseOnly, type Parsed } from './program.js';
import { informationUri } from './version.js';

export type { OutputFormat } from './options.js';

export interface LintOptions {
  format: OutputFormat;
  settings: Settings;
  /** As given; empty means the current directory. */
  paths: string[];
  /** Whether `--namespace` was given (else, with a cluster, the context's namespace is the default). */
  namespaceGiven?: boolean;
  /** Live facts from this cluster (`--kubeconfig`, `--context`). */
  cluster?: { kubeconfig?: string; context?: string; timeoutMs: number };
  /** `--fail-on`; absent: error. */
  failOn?: FailOn;
  /** `--enable`/`--disable`; absent: every rule. */
  rules?: RuleSelection;
  /** `--jobs`: worker threads (1: none); absent: one per CPU when the input is large enough to gain. */
  jobs?: number;
}

/** The options as commander collects them (each value already checked by its parser). */
interface RawLintOptions extends ReportOptionValues {
  cdiVersion?: string;
  strictProvisioner?: string[];
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  timeout?: number;
  jobs?: number;
}

const description = `Checks KubeVirt/CDI storage manifests for sizing mistakes (snapshot restore sizes,
CDI filesystem-overhead inflation), and the index files of OADP's kubevirt datamover
(backup chains, pvcSizes, qcow2 files). Folders are searched recursively for *.yaml,
*.yml and datamover *.json (node_modules and .git are skipped); a file named explicitly
is linted whatever its extension; '-' reads standard input. With no paths, the current
directory is linted.`;

const exitStatus = `
Exit status: 0 no findings at --fail-on or above (default: no errors), 1 such findings (a file
that cannot be read is a file-unreadable error finding: the other files are still linted), 2 a
usage error, a path that does not exist, a cluster that cannot be reached or read, or a rule
that crashed (the findings are printed all the same).`;

/** The `lint` command with its arguments, options and help (no action: `register` and the tests add one). */
function defineLint(program: Command): Command {
  const cmd = program
    .command('lint')
    .summary('check manifests for KubeVirt/CDI storage sizing mistakes')
    .description(description)
    .argument('[paths...]', "files and folders to lint; '-' reads standard input (default: the current directory)");
  addReportOptions(cmd);
  cmd.optionsGroup('Analysis:');
  cmd
    .addOption(cdiVersionOption("a CDI CR's status.observedVersion in the files or the cluster, else v1.63"))
    .addOption(strictProvisionerOption())
    .addOption(
      namespaceOption(
        '--namespace <ns>',
        `namespace of manifests that name none (default: ${defaultSettings.defaultNamespace}, or the context's namespace with a cluster)`,
        (v) => `invalid --namespace '${v}'`,
      ),
    );
  cmd.optionsGroup('Cluster (live facts):');
  cmd
    .addOption(
      nonEmptyOption(
        '--kubeconfig <file>',
        'also read facts from the cluster of this kubeconfig: VolumeSnapshots, StorageClasses, StorageProfiles, the CDI version ' +
          "and CDIConfig overhead (the manifests' own win)",
        '--kubeconfig',
        "option '--kubeconfig' needs a value",
      ),
    )
    .addOption(
      nonEmptyOption(
        '--context <name>',
        'kubeconfig context (default: its current-context); alone, it reads the kubeconfig as kubectl does (KUBECONFIG, ~/.kube/config)',
        '--context',
        "option '--context' needs a value",
      ),
    )
    .addOption(timeoutOption('with a cluster: give up after this many seconds'));
  cmd.optionsGroup('Performance:');
  cmd.addOption(
    new Option('--jobs <n>', 'worker threads to analyse in; 1 for none (default: one per CPU when there are many files or large ones; none with a cluster)').argParser(
      valueOf('--jobs', (v) => {
        if (!/^[1-9]\d{0,2}$/.test(v)) throw new UsageError(`invalid --jobs '${v}' (expected a number of threads from 1 to 999)`);
        return Number(v);
      }),
    ),
  );
  cmd.optionsGroup('Options:');
  return cmd.addHelpText('after', () => `${rulesHelp([...rules.map((r) => r.id), FILE_UNREADABLE, ...datamoverFileRules])}\n${exitStatus}`);
}

/** The checks that concern several options at once, and the defaults. */
function lintOptions(paths: string[], raw: RawLintOptions): LintOptions {
  const cluster = raw.kubeconfig !== undefined || raw.context !== undefined;
  if (raw.timeout !== undefined && !cluster) throw new UsageError('--timeout applies to a cluster: give --kubeconfig or --context too');
  const selection = ruleSelection(raw.enable, raw.disable);
  const settings: Settings = {
    ...defaultSettings,
    strictProvisioners: raw.strictProvisioner ?? [...defaultSettings.strictProvisioners],
    defaultNamespace: raw.namespace ?? defaultSettings.defaultNamespace,
  };
  if (raw.cdiVersion !== undefined) settings.cdiVersion = raw.cdiVersion;
  const options: LintOptions = { format: raw.format ?? 'text', settings, paths };
  if (raw.namespace !== undefined) options.namespaceGiven = true;
  if (cluster) options.cluster = { kubeconfig: raw.kubeconfig, context: raw.context, timeoutMs: raw.timeout ?? defaultTimeoutMs };
  if (raw.failOn !== undefined) options.failOn = raw.failOn;
  if (selection) options.rules = selection;
  if (raw.jobs !== undefined) options.jobs = raw.jobs;
  return options;
}

export type ParsedLintArgs = { kind: 'options'; options: LintOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/** `lint`'s arguments (without the command name) as options, help or a usage error; nothing runs. */
export function parseLintArgs(argv: readonly string[]): ParsedLintArgs {
  const parsed: Parsed<LintOptions> = parseOnly(defineLint, lintOptions, argv);
  return parsed.kind === 'help' ? { kind: 'help' } : parsed;
}

export function register(program: Command, env: CommandEnv): void {
  defineLint(program).action(respond((paths: string[], raw: RawLintOptions) => lint(lintOptions(paths, raw), env)));
}

export async function lint(options: LintOptions, env: CommandEnv): Promise<CommandResult> {
  const { format, paths } = options;
  let settings = options.settings;

  const input = await readInputs(paths.length > 0 ? paths : ['.'], { cwd: env.cwd, stdin: env.stdin });
  // A path that does not exist is reported (exit 2) but, like a file that cannot be read, never hides the findings
  // of the others.
  const warnings = [...input.warnings, ...input.errors].map((w) => `kvstorage lint: ${w}\n`).join('');

  let facts: ClusterFactsProvider = noCluster;
  let clusterNotes = '';
  let clusterIncomplete = false;
  let dispose = (): void => undefined;
  if (options.cluster) {
    const look = await lookAtCluster(options.cluster, lintCaches, env.env);
    if (!look.ok) return { exitCode: 2, stdout: '', stderr: `${warnings}kvstorage lint: ${look.message}\n` };
    ({ facts, dispose } = look);
    clusterNotes = look.notes.map((n) => `kvstorage lint: ${n}\n`).join('');
    clusterIncomplete = look.incomplete;
    // Manifests that name no namespace go where kubectl would put them.
    if (!options.namespaceGiven) settings = { ...settings, defaultNamespace: look.namespace };
  }

  // A rule that throws is a bug: the other rules still report, but the run is incomplete, so exit 2.
  const crashed = new Map<string, { files: string[]; error: unknown }>();
  const onRuleError = (rule: string, file: string, error: unknown): void => {
    const seen = crashed.get(rule);
    if (seen) seen.files.push(file);
    else crashed.set(rule, { files: [file], error });
  };
  const enabled = (id: string): boolean => ruleEnabled(options.rules, id);
  // JSON is written as it comes when the caller takes output that way (a terminal, a pipe); else at the end.
  const stream = format === 'json' && env.write ? jsonStream(env.write) : undefined;
  const findings: Finding[] = [];
  let fails = false;
  const put = (found: readonly Finding[]): void => {
    const kept = found.filter((f) => enabled(f.rule));
    fails ||= failsAt(kept, options.failOn);
    if (stream) stream.add(kept);
    else for (const f of kept) findings.push(f);
  };
  // Files that could not be read are listed where they lie in the order the files were met: before the next file
  // read after them, or at the end.
  const unreadableAt = new Map(input.unreadable.map((u) => [u.file, u.reason]));
  let met = 0;
  const putUnreadableUntil = (file: string | undefined): void => {
    for (; met < input.order.length && input.order[met] !== file; met++) {
      const reason = unreadableAt.get(input.order[met]!);
      if (reason !== undefined) put([fileUnreadableFinding(input.order[met]!, reason)]);
    }
  };
  const emit = (file: string, found: readonly Finding[]): void => {
    putUnreadableUntil(file);
    put(found);
  };
  try {
    const ruleSet = rules.filter((r) => enabled(r.id));
    const analysis: AnalyzeOptions = input.local ? { settings, cluster: facts, localFiles: input.local } : { settings, cluster: facts };
    const jobs = options.cluster ? 1 : workersFor(input.files, options.jobs, availableParallelism());
    await analyseInOrder(input.files, analysis, ruleSet, jobs, onRuleError, emit);
  } finally {
    dispose();
  }
  putUnreadableUntil(undefined);
  stream?.end();
  const byName = new Map<string, SourceFile>([...input.files, ...input.unreadable.map((u) => ({ file: u.file, text: '' }))].map((f) => [f.file, f]));
  const sources = input.order.map((file) => byName.get(file)!);
  const files = input.order;
  const stdout =
    stream ? ''
    : format === 'json' ? formatJson(findings)
    : format === 'sarif' ? formatSarif(findings, { files, cwd: env.cwd, version: env.version, informationUri })
    : format === 'junit' ? formatLintJunit(byFile(sources, findings), { failOn: options.failOn })
    : formatText(findings, { fileCount: files.length, color: env.color });
  const crashes = [...crashed].map(([rule, c]) => {
    const stack = c.error instanceof Error ? (c.error.stack ?? c.error.message) : String(c.error);
    return `kvstorage lint: internal error in rule '${rule}' (${c.files.join(', ')}); other rules still ran:\n${stack}\n`;
  });
  const exitCode = crashes.length > 0 || clusterIncomplete || input.errors.length > 0 ? 2 : fails ? 1 : 0;
  return { exitCode, stdout, stderr: warnings + clusterNotes + crashes.join('') };
}

/**
 * Analyses every file and hands each one's findings to `emit`, in file order: in this thread (one Workspace, as
 * `analyze` does), or for `jobs` > 1 the YAML files in worker threads (lintParallel.ts) and the datamover index
 * files here (they are checked together, against the qcow2 files on disk).
 */
async function analyseInOrder(
  files: readonly SourceFile[],
  options: AnalyzeOptions,
  ruleSet: readonly RuleRunner[],
  jobs: number,
  onRuleError: (rule: string, file: string, error: unknown) => void,
  emit: (file: string, findings: readonly Finding[]) => void,
): Promise<void> {
  const here = new Workspace(onRuleError, ruleSet);
  const yaml: number[] = [];
  files.forEach((f, i) => {
    if (jobs > 1 && !datamoverRole(f.file, f.text)) yaml.push(i);
    else here.setFile(f.file, f.text);
  });
  if (yaml.length > 0) {
    const inWorkers = new Set(yaml);
    const done = new Map<number, Finding[]>();
    let next = 0;
    // Files checked here are emitted when their turn comes, between the workers' files.
    const flush = () => {
      for (; next < files.length; next++) {
        if (!inWorkers.has(next)) emit(files[next]!.file, here.analyzeFile(files[next]!.file, options));
        else if (done.has(next)) {
          emit(files[next]!.file, done.get(next)!);
          done.delete(next);
        } else break;
      }
    };
    const ok = await analyzeInWorkers(
      yaml.map((i) => files[i]!),
      yaml,
      options.settings,
      ruleSet.map((r) => r.id),
      jobs,
      {
        onFile: (k, found) => {
          done.set(yaml[k]!, found);
          flush();
        },
        onCrash: (rule, file, error) => onRuleError(rule, file, Object.assign(new Error(error.split('\n')[0]), { stack: error })),
      },
    );
    if (ok) {
      flush();
      return;
    }
    // The workers could not take these files as planned: this thread does it all.
    for (const i of yaml) here.setFile(files[i]!.file, files[i]!.text);
  }
  for (const f of files) emit(f.file, here.analyzeFile(f.file, options));
}

/** Each file with its findings grouped by object, for JUnit. */
function byFile(files: readonly SourceFile[], findings: readonly Finding[]): LintJunitFile[] {
  const of = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = of.get(f.file);
    if (list) list.push(f);
    else of.set(f.file, [f]);
  }
  return files.map((f) => ({ file: f.file, objects: findingsByObject(f, of.get(f.file) ?? []) }));
}

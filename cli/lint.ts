/**
 * `kvstorage lint`: read the manifests, run the analysis, print findings. Offline by default; with
 * `--kubeconfig`/`--context` the cluster's facts (snapshots, classes, profiles, CDI version and overhead) are
 * layered under the manifests'. Exit 0 without findings at `--fail-on` (error) or above, 1 with, 2 on usage
 * or I/O errors (an unreachable or unreadable cluster included).
 */
import { Option, type Command } from 'commander';
import { datamoverFileRules } from '../core/datamover/rules.js';
import { noCluster, type ClusterFactsProvider } from '../core/facts.js';
import { findingsByObject } from '../core/findingObjects.js';
import { helmTemplateFinding, helmTemplateRule, isHelmTemplate } from '../core/helm.js';
import { mapRenderedFindings } from '../core/kustomizeMap.js';
import { applyRuleConfig, withRepoConfig } from '../core/repoConfig.js';
import { resourcesOf } from '../core/resources.js';
import { FILE_UNREADABLE, fileUnreadableFinding } from '../core/rules/fileUnreadable.js';
import { rules } from '../core/rules/index.js';
import { unsuppressed, ignoreComment } from '../core/suppress.js';
import type { Finding, Settings, SourceFile } from '../core/types.js';
import { defaultSettings } from '../core/types.js';
import type { RuleRunner } from '../core/rules/rule.js';
import { Workspace, type AnalyzeOptions } from '../core/workspace.js';
import { datamoverRole } from '../core/datamover/layout.js';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ANNOTATION } from '../core/kinds/index.js';
import { parseYamlFile } from '../core/yaml/documents.js';
import { defaultTimeoutMs } from './cluster.js';
import { respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { failsAt, type FailOn } from './failOn.js';
import { readInputs } from './files.js';
import { renderKustomization } from './kustomize.js';
import { beneathFlags, enabledWith, loadRepoConfig } from './repoConfig.js';
import { formatJson, jsonStream } from './format/json.js';
import { formatLintJunit, type LintJunitFile } from './format/junit.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { lintCaches, lookAtCluster, volumeResizeCaches } from './lintCluster.js';
import { oneShotWorkspace } from './lintShare.js';
import { analyzeInWorkers, startWorkers, threadsFor, workersFor } from './lintParallel.js';
import { valueOf, addReportOptions, cdiVersionOption, kubevirtVersionOption, namespaceOption, nonEmptyOption, repeatable, rulesHelp, ruleSelection, strictProvisionerOption, timeoutOption } from './options.js';
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
  /** `--jobs`: threads, this one and `jobs - 1` workers (1: none); absent: one per two CPUs when the input is large enough to gain. */
  jobs?: number;
  /** `--config`; absent: the nearest .kvstorage.yaml. */
  config?: string;
  /** The settings the flags gave (they beat .kvstorage.yaml). */
  given?: { strictProvisioners?: boolean; cdiVersion?: boolean };
  /** `--kustomize` folders, rendered with `kubectl kustomize`. */
  kustomize?: string[];
}

/** The options as commander collects them (each value already checked by its parser). */
interface RawLintOptions extends ReportOptionValues {
  cdiVersion?: string;
  kubevirtVersion?: string;
  strictProvisioner?: string[];
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  timeout?: number;
  jobs?: number;
  config?: string;
  kustomize?: string[];
}

const description = `Checks KubeVirt/CDI storage manifests for sizing mistakes (snapshot restore sizes,
CDI filesystem-overhead inflation), and the index files of OADP's kubevirt datamover
(backup chains, pvcSizes, qcow2 files). Folders are searched recursively for *.yaml,
*.yml and datamover *.json (node_modules and .git are skipped); a file named explicitly
is linted whatever its extension; '-' reads standard input. With no paths, the current
directory is linted (with --kustomize and no paths, only the rendered output). Helm
templates (templates/ files with {{ }}) are skipped with one helm-template finding.
Settings and rule severities come from the nearest .kvstorage.yaml (flags beat it);
${ANNOTATION.ignoreRules} annotations and '# ${ignoreComment} RULE' comments hide findings.`;

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
    .addOption(kubevirtVersionOption("a KubeVirt CR's status.observedKubeVirtVersion in the files or the cluster, else v1.9.0"))
    .addOption(strictProvisionerOption())
    .addOption(
      namespaceOption(
        '--namespace <ns>',
        `namespace of manifests that name none (default: ${defaultSettings.defaultNamespace}, or the context's namespace with a cluster)`,
        (v) => `invalid --namespace '${v}'`,
      ),
    );
  cmd
    .addOption(nonEmptyOption('--config <file>', "repository settings (default: the nearest .kvstorage.yaml, see 'kvstorage rules')", '--config', "option '--config' needs a value"))
    .addOption(
      new Option('--kustomize <dir>', 'also lint what `kubectl kustomize DIR` renders (kubectl on the PATH); findings map back to DIR\'s files where they can (repeatable)').argParser(
        repeatable('--kustomize'),
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
    new Option('--jobs <n>', 'threads to analyse in, this one and N-1 workers; 1 for no worker (default: one per two CPUs when there are many files or large ones; 1 with a cluster)').argParser(
      valueOf('--jobs', (v) => {
        if (!/^[1-9]\d{0,2}$/.test(v)) throw new UsageError(`invalid --jobs '${v}' (expected a number of threads from 1 to 999)`);
        return Number(v);
      }),
    ),
  );
  cmd.optionsGroup('Options:');
  return cmd.addHelpText('after', () => `${rulesHelp([...rules.map((r) => r.id), FILE_UNREADABLE, ...datamoverFileRules, helmTemplateRule.id])}\n${exitStatus}`);
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
  if (raw.kubevirtVersion !== undefined) settings.kubevirtVersion = raw.kubevirtVersion;
  const options: LintOptions = { format: raw.format ?? 'text', settings, paths, given: { strictProvisioners: raw.strictProvisioner !== undefined, cdiVersion: raw.cdiVersion !== undefined } };
  if (raw.config !== undefined) options.config = raw.config;
  if (raw.kustomize !== undefined && raw.kustomize.length > 0) options.kustomize = raw.kustomize;
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
  const loaded = await loadRepoConfig(env.cwd, options.config);
  if (!loaded.ok) return { exitCode: 2, stdout: '', stderr: loaded.message.split('\n').map((m) => `kvstorage lint: ${m}\n`).join('') };
  const config = loaded.config;
  // The repository's settings, then the flags given on top.
  const given = options.given ?? {};
  const fromConfig = withRepoConfig(options.settings, config);
  let settings: Settings = {
    ...fromConfig,
    ...(given.strictProvisioners ? { strictProvisioners: options.settings.strictProvisioners } : {}),
    ...(given.cdiVersion && options.settings.cdiVersion !== undefined ? { cdiVersion: options.settings.cdiVersion } : {}),
  };

  const kustomize = options.kustomize ?? [];
  // The workers start loading as soon as the walk shows enough files, and so load while the files are read.
  let started: Worker[] = [];
  const onFound = (count: number, bytes: number): void => {
    if (options.cluster || started.length > 0) return;
    started = startWorkers(threadsFor(count, bytes, options.jobs, availableParallelism()) - 1);
  };
  const input = await readInputs(paths.length > 0 ? paths : kustomize.length > 0 ? [] : ['.'], { cwd: env.cwd, stdin: env.stdin, onFound });
  const rendered: Array<{ dir: string; rendered: SourceFile; sources: SourceFile[] }> = [];
  for (const dir of kustomize) {
    const r = await renderKustomization(dir, env.cwd, env.env ?? process.env, env.stdin);
    if (r.ok) rendered.push({ dir, ...r });
    else input.errors.push(r.message);
  }
  // A path that does not exist (or a kustomization that does not render) is reported (exit 2) but, like a file that
  // cannot be read, never hides the findings of the others.
  const warnings = [...input.warnings, ...input.errors].map((w) => `kvstorage lint: ${w}\n`).join('');
  // Helm templates are not YAML until rendered: one finding each, and out of the analysis.
  const helm = input.files.filter((f) => isHelmTemplate(f.file, f.text));
  const isHelm = new Set(helm);
  const analysed = [...(helm.length > 0 ? input.files.filter((f) => !isHelm.has(f)) : input.files), ...rendered.map((r) => r.rendered)];

  let facts: ClusterFactsProvider = noCluster;
  let clusterNotes = '';
  let clusterIncomplete = false;
  let dispose = (): void => undefined;
  let settle: (() => Promise<ClusterFactsProvider | undefined>) | undefined;
  if (options.cluster) {
    const resizes = analysed.some((f) => /\bkind:\s*["']?VolumeResize\b/.test(f.text));
    const look = await lookAtCluster(options.cluster, resizes ? volumeResizeCaches : lintCaches, env.env);
    if (!look.ok) return { exitCode: 2, stdout: '', stderr: `${warnings}kvstorage lint: ${look.message}\n` };
    ({ facts, dispose, settle } = look);
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
  const enabled = enabledWith(options.rules, config);
  const ruleConfig = beneathFlags(config, options.rules);
  // JSON is written as it comes when the caller takes output that way (a terminal, a pipe) and no finding has to
  // be moved afterwards (kustomize renders map theirs onto the kustomization's files); else at the end.
  const stream = format === 'json' && env.write && rendered.length === 0 ? jsonStream(env.write) : undefined;
  let findings: Finding[] = [];
  let fails = false;
  const put = (found: readonly Finding[]): void => {
    const kept = applyRuleConfig(found, ruleConfig);
    fails ||= failsAt(kept, options.failOn);
    if (stream) stream.add(kept);
    else for (const f of kept) findings.push(f);
  };
  // A file that could not be read, or a Helm template (not YAML until rendered), is one finding, listed where the
  // file lies in the order the files were met: before the next file analysed after it, or at the end.
  const standIns = new Map<string, Finding>();
  if (enabled(FILE_UNREADABLE)) for (const u of input.unreadable) standIns.set(u.file, fileUnreadableFinding(u.file, u.reason));
  if (enabled(helmTemplateRule.id)) for (const f of helm) standIns.set(f.file, helmTemplateFinding(f.file, f.text));
  let met = 0;
  const putStandInsUntil = (file: string | undefined): void => {
    for (; met < input.order.length && input.order[met] !== file; met++) {
      const standIn = standIns.get(input.order[met]!);
      if (standIn) put([standIn]);
    }
  };
  const emit = (file: SourceFile, found: readonly Finding[]): void => {
    putStandInsUntil(file.file);
    put(postFilter(file, found.filter((f) => enabled(f.rule))));
  };
  try {
    const ruleSet = rules.filter((r) => enabled(r.id));
    const analysisWith = (cluster: ClusterFactsProvider): AnalyzeOptions => (input.local ? { settings, cluster, localFiles: input.local } : { settings, cluster });
    const jobs = options.cluster ? 1 : workersFor(analysed, options.jobs, availableParallelism());
    const workers = started;
    started = [];
    // Some facts are read when a rule asks (the data in use of a VolumeResize's volumes): a first pass asks for
    // them, and once they are in, the pass that is reported runs on them.
    if (settle) {
      await analyseInOrder(analysed, analysisWith(facts), ruleSet, 1, onRuleError, () => undefined);
      const settled = await settle();
      if (settled) facts = settled;
      crashed.clear();
    }
    await analyseInOrder(analysed, analysisWith(facts), ruleSet, jobs, onRuleError, emit, workers);
  } finally {
    dispose();
    await Promise.all(started.map((w) => w.terminate()));
  }
  putStandInsUntil(undefined);
  stream?.end();
  for (const r of rendered) findings = mapRenderedFindings(findings, r.rendered, r.sources, `kubectl kustomize ${r.dir}`);
  // In the order the files were met; then the kustomizations' files (where findings were mapped to them) and their
  // renders.
  const byName = new Map<string, SourceFile>([...input.files, ...input.unreadable.map((u) => ({ file: u.file, text: '' }))].map((f) => [f.file, f]));
  const seen = new Set(input.order);
  const mapped = rendered.flatMap((r) => [...r.sources.filter((src) => !seen.has(src.file) && findings.some((f) => f.file === src.file)), r.rendered]);
  const sources = [...input.order.map((file) => byName.get(file)!), ...mapped];
  // (Streamed findings were written in file order as they came.)
  if (!stream) findings = inFileOrder(findings, sources);
  const files = sources.map((f) => f.file);
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
  const exitCode = crashes.length > 0 || clusterIncomplete || input.errors.length > 0 ? 2 : (stream ? fails : failsAt(findings, options.failOn)) ? 1 : 0;
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
  emit: (file: SourceFile, findings: readonly Finding[]) => void,
  started: readonly Worker[] = [],
): Promise<void> {
  const here = new Workspace(onRuleError, ruleSet, oneShotWorkspace);
  const yaml: number[] = [];
  files.forEach((f, i) => {
    if (jobs > 1 && !datamoverRole(f.file, f.text)) yaml.push(i);
    else here.setFile(f.file, f.text);
  });
  if (yaml.length === 0) await Promise.all(started.map((w) => w.terminate()));
  else {
    const inWorkers = new Set(yaml);
    const done = new Map<number, Finding[]>();
    let next = 0;
    // Files checked here are emitted when their turn comes, between the workers' files.
    const flush = () => {
      for (; next < files.length; next++) {
        if (!inWorkers.has(next)) emit(files[next]!, here.analyzeFile(files[next]!.file, options));
        else if (done.has(next)) {
          emit(files[next]!, done.get(next)!);
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
      started,
    );
    if (ok) {
      flush();
      return;
    }
    // The workers could not take these files as planned: this thread does it all.
    for (const i of yaml) here.setFile(files[i]!.file, files[i]!.text);
  }
  for (const f of files) emit(f, here.analyzeFile(f.file, options));
}

/** Without the findings the manifests suppress (annotations, trailing comments); a file without markers is not re-read. */
function postFilter(file: SourceFile, findings: Finding[]): Finding[] {
  return postFilterFiles([file], findings);
}

function postFilterFiles(files: readonly SourceFile[], findings: Finding[]): Finding[] {
  const marked = files.filter((f) => f.text.includes(ignoreComment) || f.text.includes(ANNOTATION.ignoreRules));
  if (marked.length === 0) return findings;
  const byFile = new Map(marked.map((f) => [f.file, f]));
  const kept = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!byFile.has(f.file)) continue;
    const list = kept.get(f.file);
    if (list) list.push(f);
    else kept.set(f.file, [f]);
  }
  const survivors = new Set<Finding>(findings.filter((f) => !byFile.has(f.file)));
  for (const [file, list] of kept) {
    const parsed = parseYamlFile(file, byFile.get(file)!.text);
    for (const f of unsuppressed(list, parsed, parsed.docs.flatMap((d) => resourcesOf(file, d)))) survivors.add(f);
  }
  return findings.filter((f) => survivors.has(f));
}

/** Findings in the order of the files (mapping moves some into the kustomizations' files), stable within a file. */
function inFileOrder(findings: readonly Finding[], files: readonly SourceFile[]): Finding[] {
  const order = new Map(files.map((f, i) => [f.file, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (order.get(a.f.file) ?? Infinity) - (order.get(b.f.file) ?? Infinity) || (a.f.file === b.f.file ? a.f.range.start.line - b.f.range.start.line || a.f.range.start.character - b.f.range.start.character : 0) || a.i - b.i)
    .map((x) => x.f);
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

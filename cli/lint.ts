/**
 * `kvstorage lint`: read the manifests, run the analysis, print findings. Offline by default; with
 * `--kubeconfig`/`--context` the cluster's facts (snapshots, classes, profiles, CDI version and overhead) are
 * layered under the manifests'. Exit 0 without error-severity findings, 1 with, 2 on usage or I/O errors
 * (an unreachable or unreadable cluster included).
 */
import { noCluster, type ClusterFactsProvider } from '../core/facts.js';
import { analyze } from '../core/workspace.js';
import type { Settings } from '../core/types.js';
import { defaultSettings } from '../core/types.js';
import type { Command, CommandEnv, CommandResult } from './command.js';
import { usageError } from './command.js';
import { lintCaches, lookAtCluster } from './lintCluster.js';
import { readInputs } from './files.js';
import { formatJson } from './format/json.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { informationUri } from './version.js';
import { defaultTimeoutMs } from './cluster.js';
import { parseTimeout } from './doctorArgs.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface LintOptions {
  format: OutputFormat;
  settings: Settings;
  /** As given; empty means the current directory. */
  paths: string[];
  /** Whether `--namespace` was given (else, with a cluster, the context's namespace is the default). */
  namespaceGiven?: boolean;
  /** Live facts from this cluster (`--kubeconfig`, `--context`). */
  cluster?: { kubeconfig?: string; context?: string; timeoutMs: number };
}

export type ParsedLintArgs = { kind: 'options'; options: LintOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const lintHelp = `Usage: kvstorage lint [options] [paths...]

Checks KubeVirt/CDI storage manifests for sizing mistakes (snapshot restore sizes,
CDI filesystem-overhead inflation), and the index files of OADP's kubevirt datamover
(backup chains, pvcSizes, qcow2 files). Folders are searched recursively for *.yaml,
*.yml and datamover *.json (node_modules and .git are skipped); a file named explicitly
is linted whatever its extension; '-' reads standard input. With no paths, the current
directory is linted.

Options:
  --format <text|json|sarif>   output format (default: text)
  --cdi-version <X.Y.Z>        assume this CDI version, e.g. 1.63.1 or v1.63.1
  --strict-provisioner <name>  a CSI provisioner that refuses restores larger than the
                               snapshot; repeat for several. Replaces the default list
                               (${defaultSettings.strictProvisioners.join(', ')}); --strict-provisioner= empties it
  --namespace <ns>             namespace of manifests that name none (default: ${defaultSettings.defaultNamespace},
                               or the context's namespace with a cluster)
  --kubeconfig <file>          also read facts from the cluster of this kubeconfig: VolumeSnapshots,
                               StorageClasses, StorageProfiles, the CDI version and CDIConfig overhead
                               (the manifests' own win)
  --context <name>             kubeconfig context (default: its current-context); alone, it reads
                               the kubeconfig as kubectl does (KUBECONFIG, ~/.kube/config)
  --timeout <seconds>          with a cluster: give up after this long (default: ${defaultTimeoutMs / 1000})
  -h, --help                   show this help

Exit status: 0 no errors, 1 error findings, 2 usage or I/O error (or a cluster that
cannot be reached or read).
`;

const formats: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const valueOptions = new Set(['--format', '--cdi-version', '--strict-provisioner', '--namespace', '--kubeconfig', '--context', '--timeout']);
const CDI_VERSION = /^v?\d+\.\d+\.\d+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseLintArgs(argv: readonly string[]): ParsedLintArgs {
  let format: OutputFormat = 'text';
  let cdiVersion: string | undefined;
  let namespace: string | undefined;
  let provisioners: string[] | undefined;
  let kubeconfig: string | undefined;
  let context: string | undefined;
  let timeoutMs: number | undefined;
  const paths: string[] = [];
  let onlyPaths = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!valueOptions.has(name)) return { kind: 'error', message: `unknown option '${name}'` };
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[++i];
      // `--format --namespace x` is a forgotten value, not the format "--namespace".
      if (value === undefined || (value.startsWith('-') && value !== '-')) {
        return { kind: 'error', message: `option '${name}' needs a value` };
      }
    }
    switch (name) {
      case '--format':
        if (!formats.includes(value as OutputFormat)) {
          return { kind: 'error', message: `unknown format '${value}' (expected ${formats.join(', ')})` };
        }
        format = value as OutputFormat;
        break;
      case '--cdi-version':
        if (!CDI_VERSION.test(value)) {
          return { kind: 'error', message: `invalid --cdi-version '${value}' (expected X.Y.Z or vX.Y.Z, e.g. 1.63.1)` };
        }
        cdiVersion = value;
        break;
      case '--namespace':
        if (!NAMESPACE.test(value)) {
          return { kind: 'error', message: `invalid --namespace '${value}' (expected a DNS label, e.g. my-vms)` };
        }
        namespace = value;
        break;
      case '--strict-provisioner':
        provisioners ??= [];
        if (value !== '') provisioners.push(value);
        break;
      case '--kubeconfig':
      case '--context':
        if (value === '') return { kind: 'error', message: `option '${name}' needs a value` };
        if (name === '--kubeconfig') kubeconfig = value;
        else context = value;
        break;
      case '--timeout':
        timeoutMs = parseTimeout(value);
        if (timeoutMs === undefined) return { kind: 'error', message: `invalid --timeout '${value}' (expected seconds, e.g. 30 or 2.5)` };
        break;
    }
  }
  if (timeoutMs !== undefined && kubeconfig === undefined && context === undefined) {
    return { kind: 'error', message: `--timeout applies to a cluster: give --kubeconfig or --context too` };
  }

  const settings: Settings = {
    ...defaultSettings,
    strictProvisioners: provisioners ?? [...defaultSettings.strictProvisioners],
    defaultNamespace: namespace ?? defaultSettings.defaultNamespace,
  };
  if (cdiVersion !== undefined) settings.cdiVersion = cdiVersion;
  const options: LintOptions = { format, settings, paths };
  if (namespace !== undefined) options.namespaceGiven = true;
  if (kubeconfig !== undefined || context !== undefined) options.cluster = { kubeconfig, context, timeoutMs: timeoutMs ?? defaultTimeoutMs };
  return { kind: 'options', options };
}

export async function runLint(argv: string[], env: CommandEnv): Promise<CommandResult> {
  const parsed = parseLintArgs(argv);
  if (parsed.kind === 'help') return { exitCode: 0, stdout: lintHelp, stderr: '' };
  if (parsed.kind === 'error') return usageError('lint', parsed.message);
  const { format, paths } = parsed.options;
  let settings = parsed.options.settings;

  const input = await readInputs(paths.length > 0 ? paths : ['.'], { cwd: env.cwd, stdin: env.stdin });
  const warnings = input.warnings.map((w) => `kvstorage lint: ${w}\n`).join('');
  if (input.errors.length > 0) {
    return { exitCode: 2, stdout: '', stderr: warnings + input.errors.map((e) => `kvstorage lint: ${e}\n`).join('') };
  }

  let facts: ClusterFactsProvider = noCluster;
  let clusterNotes = '';
  let clusterIncomplete = false;
  let dispose = (): void => undefined;
  if (parsed.options.cluster) {
    const look = await lookAtCluster(parsed.options.cluster, lintCaches, env.env);
    if (!look.ok) return { exitCode: 2, stdout: '', stderr: `${warnings}kvstorage lint: ${look.message}\n` };
    ({ facts, dispose } = look);
    clusterNotes = look.notes.map((n) => `kvstorage lint: ${n}\n`).join('');
    clusterIncomplete = look.incomplete;
    // Manifests that name no namespace go where kubectl would put them.
    if (!parsed.options.namespaceGiven) settings = { ...settings, defaultNamespace: look.namespace };
  }

  // A rule that throws is a bug: the other rules still report, but the run is incomplete, so exit 2.
  const crashed = new Map<string, { files: string[]; error: unknown }>();
  let findings;
  try {
    findings = analyze(
      input.files,
      settings,
      facts,
      (rule, file, error) => {
        const seen = crashed.get(rule);
        if (seen) seen.files.push(file);
        else crashed.set(rule, { files: [file], error });
      },
      input.local,
    );
  } finally {
    dispose();
  }
  const files = input.files.map((f) => f.file);
  const stdout =
    format === 'json' ? formatJson(findings)
    : format === 'sarif' ? formatSarif(findings, { files, cwd: env.cwd, version: env.version, informationUri })
    : formatText(findings, { fileCount: files.length, color: env.color });
  const crashes = [...crashed].map(([rule, c]) => {
    const stack = c.error instanceof Error ? (c.error.stack ?? c.error.message) : String(c.error);
    return `kvstorage lint: internal error in rule '${rule}' (${c.files.join(', ')}); other rules still ran:\n${stack}\n`;
  });
  const exitCode = crashes.length > 0 || clusterIncomplete ? 2 : findings.some((f) => f.severity === 'error') ? 1 : 0;
  return { exitCode, stdout, stderr: warnings + clusterNotes + crashes.join('') };
}

export const lintCommand: Command = {
  summary: 'check manifests for KubeVirt/CDI storage sizing mistakes',
  run: runLint,
};

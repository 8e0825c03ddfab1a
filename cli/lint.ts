/**
 * `kvstorage lint`: read the manifests, run the analysis (no cluster), print findings.
 * Exit 0 without error-severity findings, 1 with, 2 on usage or I/O errors.
 */
import { noCluster } from '../core/facts.js';
import { analyze } from '../core/workspace.js';
import type { Settings } from '../core/types.js';
import { defaultSettings } from '../core/types.js';
import type { Command, CommandEnv, CommandResult } from './command.js';
import { usageError } from './command.js';
import { readInputs } from './files.js';
import { formatJson } from './format/json.js';
import { formatSarif } from './format/sarif.js';
import { formatText } from './format/text.js';
import { informationUri } from './version.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface LintOptions {
  format: OutputFormat;
  settings: Settings;
  /** As given; empty means the current directory. */
  paths: string[];
}

export type ParsedLintArgs = { kind: 'options'; options: LintOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const lintHelp = `Usage: kvstorage lint [options] [paths...]

Checks KubeVirt/CDI storage manifests for sizing mistakes (snapshot restore sizes,
CDI filesystem-overhead inflation). Folders are searched recursively for *.yaml and
*.yml (node_modules and .git are skipped); a file named explicitly is linted whatever
its extension; '-' reads standard input. With no paths, the current directory is linted.

Options:
  --format <text|json|sarif>   output format (default: text)
  --cdi-version <X.Y.Z>        assume this CDI version, e.g. 1.63.1 or v1.63.1
  --strict-provisioner <name>  a CSI provisioner that refuses restores larger than the
                               snapshot; repeat for several. Replaces the default list
                               (${defaultSettings.strictProvisioners.join(', ')}); --strict-provisioner= empties it
  --namespace <ns>             namespace of manifests that name none (default: ${defaultSettings.defaultNamespace})
  -h, --help                   show this help

Exit status: 0 no errors, 1 error findings, 2 usage or I/O error.
`;

const formats: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const valueOptions = new Set(['--format', '--cdi-version', '--strict-provisioner', '--namespace']);
const CDI_VERSION = /^v?\d+\.\d+\.\d+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseLintArgs(argv: readonly string[]): ParsedLintArgs {
  let format: OutputFormat = 'text';
  let cdiVersion: string | undefined;
  let namespace: string | undefined;
  let provisioners: string[] | undefined;
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
    }
  }

  const settings: Settings = {
    ...defaultSettings,
    strictProvisioners: provisioners ?? [...defaultSettings.strictProvisioners],
    defaultNamespace: namespace ?? defaultSettings.defaultNamespace,
  };
  if (cdiVersion !== undefined) settings.cdiVersion = cdiVersion;
  return { kind: 'options', options: { format, settings, paths } };
}

export async function runLint(argv: string[], env: CommandEnv): Promise<CommandResult> {
  const parsed = parseLintArgs(argv);
  if (parsed.kind === 'help') return { exitCode: 0, stdout: lintHelp, stderr: '' };
  if (parsed.kind === 'error') return usageError('lint', parsed.message);
  const { format, settings, paths } = parsed.options;

  const input = await readInputs(paths.length > 0 ? paths : ['.'], { cwd: env.cwd, stdin: env.stdin });
  const warnings = input.warnings.map((w) => `kvstorage lint: ${w}\n`).join('');
  if (input.errors.length > 0) {
    return { exitCode: 2, stdout: '', stderr: warnings + input.errors.map((e) => `kvstorage lint: ${e}\n`).join('') };
  }

  // A rule that throws is a bug: the other rules still report, but the run is incomplete, so exit 2.
  const crashed = new Map<string, { files: string[]; error: unknown }>();
  const findings = analyze(input.files, settings, noCluster, (rule, file, error) => {
    const seen = crashed.get(rule);
    if (seen) seen.files.push(file);
    else crashed.set(rule, { files: [file], error });
  });
  const files = input.files.map((f) => f.file);
  const stdout =
    format === 'json' ? formatJson(findings)
    : format === 'sarif' ? formatSarif(findings, { files, cwd: env.cwd, version: env.version, informationUri })
    : formatText(findings, { fileCount: files.length, color: env.color });
  const crashes = [...crashed].map(([rule, c]) => {
    const stack = c.error instanceof Error ? (c.error.stack ?? c.error.message) : String(c.error);
    return `kvstorage lint: internal error in rule '${rule}' (${c.files.join(', ')}); other rules still ran:\n${stack}\n`;
  });
  const exitCode = crashes.length > 0 ? 2 : findings.some((f) => f.severity === 'error') ? 1 : 0;
  return { exitCode, stdout, stderr: warnings + crashes.join('') };
}

export const lintCommand: Command = {
  summary: 'check manifests for KubeVirt/CDI storage sizing mistakes',
  run: runLint,
};

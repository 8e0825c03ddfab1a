/** `kvstorage doctor`'s command line: options, help, validation. */
import { defaultSettings } from '../core/types.js';
import { defaultTimeoutMs } from './cluster.js';
import type { OutputFormat } from './lint.js';

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
}

export type ParsedDoctorArgs = { kind: 'options'; options: DoctorOptions } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

export const doctorHelp = `Usage: kvstorage doctor [options]

Scans a cluster for KubeVirt/CDI storage problems: VM snapshots whose restore will fail
(vm-restore-inflation), StorageProfiles without claimPropertySets, several default
VolumeSnapshotClasses for one driver, several default (or virt-default) StorageClasses,
VolumeSnapshots without a restoreSize. Reads the cluster; changes nothing.

Options:
  --kubeconfig <file>          kubeconfig file (default: KUBECONFIG, else ~/.kube/config, as kubectl)
  --context <name>             kubeconfig context (default: its current-context)
  -n, --namespace <ns>         scan this namespace (default: the context's namespace)
  -A, --all-namespaces         scan every namespace
  --format <text|json|sarif>   output format (default: text)
  --cdi-version <X.Y.Z>        assume this CDI version (default: the CDI CR's status.observedVersion)
  --strict-provisioner <name>  a CSI provisioner that refuses restores larger than the snapshot;
                               repeat for several. Replaces the default list
                               (${defaultSettings.strictProvisioners.join(', ')}); --strict-provisioner= empties it
  --timeout <seconds>          give up after this long (default: ${defaultTimeoutMs / 1000})
  -h, --help                   show this help

Cluster-scoped checks (storage classes, profiles, snapshot classes) always cover the whole cluster.
API groups the cluster does not serve are noted on stderr and their checks skipped.

Exit status: 0 no errors, 1 error findings, 2 usage error, or the cluster could not be
reached or read (missing kubeconfig, unknown context, unreachable, unauthorized, forbidden).
`;

const formats: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const valueOptions = new Set(['--kubeconfig', '--context', '-n', '--namespace', '--format', '--cdi-version', '--strict-provisioner', '--timeout']);
const CDI_VERSION = /^v?\d+\.\d+\.\d+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseDoctorArgs(argv: readonly string[]): ParsedDoctorArgs {
  const o: DoctorOptions = { format: 'text', allNamespaces: false, timeoutMs: defaultTimeoutMs };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help', text: doctorHelp };
    if (arg === '-A' || arg === '--all-namespaces') {
      o.allNamespaces = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') return { kind: 'error', message: `unexpected argument '${arg}' (doctor reads the cluster, not files)` };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!valueOptions.has(name)) return { kind: 'error', message: `unknown option '${name}'` };
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || value.startsWith('-')) return { kind: 'error', message: `option '${name}' needs a value` };
    }
    switch (name) {
      case '--format':
        if (!formats.includes(value as OutputFormat)) return { kind: 'error', message: `unknown format '${value}' (expected ${formats.join(', ')})` };
        o.format = value as OutputFormat;
        break;
      case '--kubeconfig':
        if (value === '') return { kind: 'error', message: `option '--kubeconfig' needs a file` };
        o.kubeconfig = value;
        break;
      case '--context':
        if (value === '') return { kind: 'error', message: `option '--context' needs a context name` };
        o.context = value;
        break;
      case '-n':
      case '--namespace':
        if (!NAMESPACE.test(value)) return { kind: 'error', message: `invalid namespace '${value}' (expected a DNS label, e.g. my-vms)` };
        o.namespace = value;
        break;
      case '--cdi-version':
        if (!CDI_VERSION.test(value)) return { kind: 'error', message: `invalid --cdi-version '${value}' (expected X.Y.Z or vX.Y.Z, e.g. 1.63.1)` };
        o.cdiVersion = value;
        break;
      case '--strict-provisioner':
        o.strictProvisioners ??= [];
        if (value !== '') o.strictProvisioners.push(value);
        break;
      case '--timeout': {
        const t = parseTimeout(value);
        if (t === undefined) return { kind: 'error', message: `invalid --timeout '${value}' (expected seconds, e.g. 30 or 2.5)` };
        o.timeoutMs = t;
        break;
      }
    }
  }
  if (o.allNamespaces && o.namespace !== undefined) return { kind: 'error', message: `-n/--namespace and -A/--all-namespaces exclude each other` };
  return { kind: 'options', options: o };
}

/** Seconds (decimals allowed, more than 0, at most a day) → milliseconds. */
export function parseTimeout(value: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
  const ms = Math.round(Number(value) * 1000);
  return ms > 0 && ms <= 86_400_000 ? ms : undefined;
}

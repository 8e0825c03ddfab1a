/**
 * Options `lint` and `doctor` share (and later commands may), with the checks behind them. Each value is
 * checked by its option's argParser as commander meets it, so the first mistake on the command line is the one
 * reported, worded as before commander: `unknown format 'xml' (expected ...)`.
 */
import { Option, type Command } from 'commander';
import { ruleCatalog, ruleInfo } from '../core/rules/catalog.js';
import { defaultSettings } from '../core/types.js';
import { defaultTimeoutMs } from './cluster.js';
import { UsageError } from './command.js';
import { failOnLevels, type FailOn } from './failOn.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'junit';
export const outputFormats: readonly OutputFormat[] = ['text', 'json', 'sarif', 'junit'];

/**
 * A value parser for `flag` that first refuses the next option taken for a value: `--namespace --format json`
 * is a forgotten value, not the namespace "--format". A lone `-` is a value (standard input), and so is `-1`.
 */
export function valueOf<T>(flag: string, check: (value: string) => T): (value: string) => T {
  return (value) => {
    // No option is a negative number: `--timeout -1` is a bad value, said as such by `check`.
    if (value.startsWith('-') && value !== '-' && !/^-\d/.test(value)) throw new UsageError(`option '${flag}' needs a value`);
    return check(value);
  };
}

/** A repeatable option's parser: the values in order; an empty value (`--flag=`) adds nothing. */
export function repeatable(flag: string, check: (value: string) => string[] = (v) => (v === '' ? [] : [v])): (value: string, previous: string[] | undefined) => string[] {
  const one = valueOf(flag, check);
  return (value, previous) => [...(previous ?? []), ...one(value)];
}

export function formatOption(): Option {
  return new Option('-f, --format <format>', `output format: ${outputFormats.join(', ')} (default: text)`).argParser(
    valueOf('--format', (v) => {
      if (!outputFormats.includes(v as OutputFormat)) throw new UsageError(`unknown format '${v}' (expected ${outputFormats.join(', ')})`);
      return v as OutputFormat;
    }),
  );
}

export function failOnOption(): Option {
  return new Option('--fail-on <severity>', `the lowest severity that makes the exit status 1: ${failOnLevels.join(', ')} (default: error)`).argParser(
    valueOf('--fail-on', (v) => {
      if (!(failOnLevels as readonly string[]).includes(v)) throw new UsageError(`invalid --fail-on '${v}' (expected ${failOnLevels.join(', ')})`);
      return v as FailOn;
    }),
  );
}

/** Rule ids named by `--enable`/`--disable`, each repeatable and comma-separated; `all` names every rule. */
function ruleIds(flag: string): (value: string, previous: string[] | undefined) => string[] {
  return repeatable(flag, (v) => {
    const ids = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const id of ids) {
      if (id !== 'all' && !ruleInfo(id)) throw new UsageError(`unknown rule '${id}' in ${flag} (rules: ${ruleCatalog.map((r) => r.id).join(', ')})`);
    }
    return ids;
  });
}

export function ruleOptions(): Option[] {
  return [
    new Option('--enable <rule>', "report this rule even with '--disable all' (repeatable; comma-separated ids allowed)").argParser(ruleIds('--enable')),
    new Option('--disable <rule>', "do not report this rule; 'all' for every rule (repeatable; comma-separated ids allowed)").argParser(ruleIds('--disable')),
  ];
}

/** What the report options leave in `opts()`. */
export interface ReportOptionValues {
  format?: OutputFormat;
  failOn?: FailOn;
  enable?: string[];
  disable?: string[];
}

/** Adds, under "Output:", the options every reporting command has: -f/--format, --fail-on, --enable, --disable. */
export function addReportOptions(cmd: Command): Command {
  cmd.optionsGroup('Output:');
  cmd.addOption(formatOption()).addOption(failOnOption());
  for (const o of ruleOptions()) cmd.addOption(o);
  return cmd;
}

/** The rules `--enable`/`--disable` named, as given (absent: every rule reports). */
export interface RuleSelection {
  enable: string[];
  disable: string[];
}

/** Checks the selection as a whole: one rule both enabled and disabled is a contradiction, not an order. */
export function ruleSelection(enable: string[] | undefined, disable: string[] | undefined): RuleSelection | undefined {
  if (enable === undefined && disable === undefined) return undefined;
  const both = (enable ?? []).find((id) => (disable ?? []).includes(id));
  if (both !== undefined) throw new UsageError(`--enable and --disable both name '${both}'`);
  return { enable: enable ?? [], disable: disable ?? [] };
}

/**
 * Whether a rule reports under a selection. Every rule reports by default; `--disable all` turns them all
 * off, `--enable all` on; a rule named on its own beats `all`.
 */
export function ruleEnabled(selection: RuleSelection | undefined, id: string): boolean {
  if (!selection) return true;
  if (selection.enable.includes(id)) return true;
  if (selection.disable.includes(id)) return false;
  if (selection.enable.includes('all')) return true;
  return !selection.disable.includes('all');
}

// Releases as users write them: X.Y (the minor: CDI's behaviour changes only between minors), X.Y.Z, vX.Y.Z.
const CDI_VERSION = /^v?\d+\.\d+(\.\d+)?$/;

export function cdiVersionOption(defaultText: string): Option {
  return new Option('--cdi-version <version>', `assume this CDI version: X.Y (the minor), X.Y.Z or vX.Y.Z, e.g. 1.64 or v1.63.1 (default: ${defaultText})`).argParser(
    valueOf('--cdi-version', (v) => {
      if (!CDI_VERSION.test(v)) throw new UsageError(`invalid --cdi-version '${v}' (expected X.Y, X.Y.Z or vX.Y.Z, e.g. 1.64 or v1.63.1)`);
      return v;
    }),
  );
}

const KUBEVIRT_VERSION = /^v?1\.\d+(\.\d+)?$/;

export function kubevirtVersionOption(defaultText: string): Option {
  return new Option('--kubevirt-version <version>', `assume this KubeVirt version for VM restores: 1.Y (the minor) or 1.Y.Z, e.g. 1.6 or v1.7.4 (default: ${defaultText})`).argParser(
    valueOf('--kubevirt-version', (v) => {
      if (!KUBEVIRT_VERSION.test(v)) throw new UsageError(`invalid --kubevirt-version '${v}' (expected 1.Y, 1.Y.Z or v1.Y.Z, e.g. 1.6 or v1.7.4)`);
      return v;
    }),
  );
}

export function strictProvisionerOption(): Option {
  return new Option(
    '--strict-provisioner <name>',
    'a CSI provisioner that refuses restores larger than the snapshot; repeat for several. Replaces the default list ' +
      `(${defaultSettings.strictProvisioners.join(', ')}); --strict-provisioner= empties it`,
  ).argParser(repeatable('--strict-provisioner'));
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `--namespace`; `invalid` words the complaint about a value that is no DNS label. */
export function namespaceOption(flags: string, description: string, invalid: (value: string) => string): Option {
  return new Option(flags, description).argParser(
    valueOf('--namespace', (v) => {
      if (!NAMESPACE.test(v)) throw new UsageError(`${invalid(v)} (expected a DNS label, e.g. my-vms)`);
      return v;
    }),
  );
}

/** A non-empty value (`--kubeconfig`, `--context`); `empty` is the complaint about `--flag=`. */
export function nonEmptyOption(flags: string, description: string, flag: string, empty: string): Option {
  return new Option(flags, description).argParser(
    valueOf(flag, (v) => {
      if (v === '') throw new UsageError(empty);
      return v;
    }),
  );
}

export function timeoutOption(description: string): Option {
  return new Option('--timeout <seconds>', `${description} (default: ${defaultTimeoutMs / 1000})`).argParser(
    valueOf('--timeout', (v) => {
      const ms = parseTimeout(v);
      if (ms === undefined) throw new UsageError(`invalid --timeout '${v}' (expected seconds, e.g. 30 or 2.5)`);
      return ms;
    }),
  );
}

/** Seconds (decimals allowed, more than 0, at most a day) → milliseconds. */
export function parseTimeout(value: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
  const ms = Math.round(Number(value) * 1000);
  return ms > 0 && ms <= 86_400_000 ? ms : undefined;
}

/** The help paragraph naming the rules a command reports (`--enable`/`--disable` take any catalogue id). */
export function rulesHelp(ids: readonly string[]): string {
  const lines: string[] = [];
  let line = ' ';
  for (const id of ids) {
    if (line.length + id.length + 2 > 99) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${id},`;
  }
  lines.push(line.slice(0, -1));
  return `\nRules (for --enable and --disable):\n${lines.join('\n')}`;
}

/**
 * A repository's `.kvstorage.yaml`: which rules report and at what severity, the strict provisioners and the
 * CDI version, shared by the CLI and the language server. Parsing never throws: mistakes come back as problems
 * naming the field (and the rest of the file still applies). Applying it is a narrow post-filter over findings
 * (`applyRuleConfig`) and a change of settings (`withRepoConfig`); the analysis itself is not touched.
 *
 *   rules:
 *     snapshot-not-found: off        # off, on (its default severity), error, warning, info or hint
 *     restore-size-exceeded: error
 *   strictProvisioners: [csi.trident.netapp.io, csi.example.com]
 *   cdiVersion: "1.64"
 */
import { parseDocument } from 'yaml';
import { parseCdiVersion } from './cdi/version.js';
import { ruleInfo } from './rules/catalog.js';
import type { Finding, Settings, Severity } from './types.js';

/** The file name looked for (the CLI: the current directory and its parents; the server: each workspace folder). */
export const repoConfigName = '.kvstorage.yaml';

export type RuleSetting = 'off' | 'on' | Severity;
const ruleSettings: readonly RuleSetting[] = ['off', 'on', 'error', 'warning', 'info', 'hint'];

export interface RepoConfig {
  /** Where it was read from (for messages). */
  file?: string;
  rules: ReadonlyMap<string, RuleSetting>;
  strictProvisioners?: string[];
  cdiVersion?: string;
}

export const emptyRepoConfig: RepoConfig = { rules: new Map() };

export interface ParsedRepoConfig {
  config: RepoConfig;
  /** `.kvstorage.yaml: rules.foo: unknown rule (known: …)`; the fields named are ignored. */
  problems: string[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a `.kvstorage.yaml` text; `file` names it in the problems. */
export function parseRepoConfig(text: string, file: string = repoConfigName): ParsedRepoConfig {
  const problems: string[] = [];
  const say = (field: string, what: string) => problems.push(`${file}: ${field ? `${field}: ` : ''}${what}`);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    say('', `not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); ignoring the file`);
    return { config: { file, rules: new Map() }, problems };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // An alias without its anchor, or too many aliases: not a configuration.
    say('', `cannot be read (${(error as Error).message}); ignoring the file`);
    return { config: { file, rules: new Map() }, problems };
  }
  if (value === null || value === undefined) return { config: { file, rules: new Map() }, problems };
  if (!isObject(value)) {
    say('', 'expected a map with rules, strictProvisioners and cdiVersion; ignoring the file');
    return { config: { file, rules: new Map() }, problems };
  }
  const rules = new Map<string, RuleSetting>();
  const config: RepoConfig = { file, rules };
  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'rules':
        if (!isObject(v)) {
          say('rules', 'expected a map of rule ids to off, on, error, warning, info or hint');
          break;
        }
        for (const [id, given] of Object.entries(v)) {
          const setting = given === false ? 'off' : given === true ? 'on' : given;
          if (!ruleInfo(id)) say(`rules.${id}`, 'unknown rule (`kvstorage rules` lists them)');
          else if (typeof setting !== 'string' || !(ruleSettings as readonly string[]).includes(setting)) say(`rules.${id}`, `expected one of ${ruleSettings.join(', ')}`);
          else rules.set(id, setting as RuleSetting);
        }
        break;
      case 'strictProvisioners':
        if (Array.isArray(v) && v.every((p) => typeof p === 'string')) config.strictProvisioners = v.map((p: string) => p.trim()).filter((p) => p !== '');
        else say('strictProvisioners', 'expected a list of CSI provisioner names');
        break;
      case 'cdiVersion':
        // Unquoted, 1.60 is the number 1.6: only a string says which version was meant.
        if (typeof v === 'string' && parseCdiVersion(v).ok) config.cdiVersion = v;
        else say('cdiVersion', `expected a quoted CDI version such as "1.64" or "v1.63.1"${typeof v === 'number' ? ` (unquoted, YAML reads ${String(v)} as a number)` : ''}`);
        break;
      default:
        say(key, 'unknown field (fields: rules, strictProvisioners, cdiVersion)');
    }
  }
  return { config, problems };
}

/** The settings with the repository's strict provisioners and CDI version (where it names them). */
export function withRepoConfig(settings: Settings, config: RepoConfig): Settings {
  return {
    ...settings,
    ...(config.strictProvisioners ? { strictProvisioners: [...config.strictProvisioners] } : {}),
    ...(config.cdiVersion !== undefined ? { cdiVersion: config.cdiVersion } : {}),
  };
}

/** Whether the repository turns a rule off (disabled rules need not run at all). */
export function ruleOff(config: RepoConfig, id: string): boolean {
  return config.rules.get(id) === 'off';
}

/** Findings without the rules turned off, with the severities the repository sets. */
export function applyRuleConfig<F extends Pick<Finding, 'rule' | 'severity'>>(findings: readonly F[], config: RepoConfig): F[] {
  if (config.rules.size === 0) return [...findings];
  const out: F[] = [];
  for (const f of findings) {
    const setting = config.rules.get(f.rule);
    if (setting === 'off') continue;
    out.push(setting === undefined || setting === 'on' || setting === f.severity ? f : { ...f, severity: setting });
  }
  return out;
}

/**
 * KubeVirt versions: parsing what tags, the KubeVirt CR's `status.observedKubeVirtVersion`, settings and `git
 * describe` write, and which version (and so which behaviour, releases.ts) applies. Like CDI's (core/cdi/version.ts):
 * the setting, else the CR from the files or the cluster, else the newest modelled release, assumed and said so.
 *
 * The HyperConverged CR is not a source: its `status.versions` entry named "operator" is HCO's own version
 * (hco.kubevirt.io CRD), not KubeVirt's.
 */
import type { Facts, FactSource } from '../facts.js';
import type { Settings } from '../types.js';
import type { ReadContext } from '../kinds/readers.js';
import type { ObjectView } from '../kinds/view.js';
import { describeFactSource, parseReleaseVersion } from '../cdi/version.js';
import type { KubevirtBehaviour } from './releases.js';
import { kubevirtBehaviour, newestKubevirtRelease } from './releases.js';

/** The KubeVirt CR (kubevirt.io/v1, kind KubeVirt): the version its operator reports as deployed. */
export interface KubevirtVersionFact {
  /** `status.observedKubeVirtVersion`, e.g. "v1.6.3"; undefined when the CR reports none yet. */
  version?: string;
  source: FactSource;
}

/** Reads a KubeVirt CR (registry.ts `KubeVirt`). */
export function readKubevirtVersion(v: ObjectView, { source }: ReadContext): KubevirtVersionFact | undefined {
  const version = v.text('status', 'observedKubeVirtVersion');
  return version ? { version, source } : undefined;
}

export type ParsedKubevirtVersion =
  | { ok: true; minor: number; patch?: number; newerThanTag?: true; text: string }
  | { ok: false; error: string };

export interface ResolvedKubevirtVersion {
  behaviour: KubevirtBehaviour;
  version: string;
  source: 'setting' | 'workspace' | 'cluster' | 'assumed';
  /** For messages: "KubeVirt v1.6.3 from setting kubevirtStorage.kubevirt.version", "KubeVirt v1.9.0 assumed, …". */
  describe: string;
}

export const kubevirtSettingName = 'kubevirtStorage.kubevirt.version';
export const kubevirtVersionFlag = '--kubevirt-version';

/** Parses a KubeVirt v1 version ("1.6.3", "v1.8.0-rc.1", "v1.6.4-12-gabcdef", "v1.6"); other majors (a downstream product's own numbering) are not KubeVirt's. */
export function parseKubevirtVersion(text: string): ParsedKubevirtVersion {
  const p = parseReleaseVersion(text);
  if (!p) return { ok: false, error: `"${text}" is not a KubeVirt version (expected e.g. v1.6.3)` };
  if (p.major !== 1) return { ok: false, error: `"${text}" is not a KubeVirt v1 release` };
  return { ok: true, minor: p.minor, text: p.text, ...(p.patch !== undefined ? { patch: p.patch } : {}), ...(p.newerThanTag ? { newerThanTag: true as const } : {}) };
}

function behaviourOf(p: Extract<ParsedKubevirtVersion, { ok: true }>): KubevirtBehaviour {
  return kubevirtBehaviour(p.minor, p.patch, p.newerThanTag === true);
}

/**
 * Which version applies: settings.kubevirtVersion, else facts.kubevirtVersion() (the workspace's KubeVirt CR before
 * the cluster's), else the newest modelled release, assumed. An unparsable setting or fact falls through, and
 * `describe` says so.
 */
export function resolveKubevirtVersion(settings: Pick<Settings, 'kubevirtVersion'>, facts: Pick<Facts, 'kubevirtVersion'>): ResolvedKubevirtVersion {
  const problems: string[] = [];
  const setting = settings.kubevirtVersion;
  if (setting !== undefined && setting.trim() !== '') {
    const p = parseKubevirtVersion(setting);
    if (p.ok) return { behaviour: behaviourOf(p), version: p.text, source: 'setting', describe: `KubeVirt ${p.text} from setting ${kubevirtSettingName}` };
    problems.push(`setting ${kubevirtSettingName} ignored: ${p.error}`);
  }
  const fact = facts.kubevirtVersion?.();
  if (fact?.version !== undefined) {
    const p = parseKubevirtVersion(fact.version);
    const kind = fact.source.kind === 'cluster' ? 'cluster' : 'workspace';
    if (p.ok) {
      const from = kind === 'cluster' ? `reported by the ${describeFactSource(fact.source)}` : `from ${describeFactSource(fact.source)}`;
      return { behaviour: behaviourOf(p), version: p.text, source: kind, describe: [`KubeVirt ${p.text} ${from}`, ...problems].join('; ') };
    }
    problems.push(`version ${JSON.stringify(fact.version)} from ${describeFactSource(fact.source)} ignored: ${p.error}`);
  }
  const { minor, patch } = newestKubevirtRelease;
  const behaviour = kubevirtBehaviour(minor, patch);
  const why = problems.length > 0 ? problems.join('; ') : 'no version known';
  return {
    behaviour,
    version: behaviour.version,
    source: 'assumed',
    describe: `KubeVirt ${behaviour.version} assumed, the newest release modelled (${why}: set ${kubevirtSettingName} or ${kubevirtVersionFlag})`,
  };
}

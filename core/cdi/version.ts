/**
 * CDI versions: parsing what tags, `status.observedVersion`, settings and `git describe` write, and which version
 * (and so which behaviour, releases.ts) applies. A version nobody states is taken to be the newest release; the
 * rules then say what older releases would do, as information.
 */
import type { CdiVersionFact, Facts, FactSource } from '../facts.js';
import type { Settings } from '../types.js';
import type { CdiBehaviour } from './releases.js';
import { cdiBehaviour, newestRelease } from './releases.js';

export type { CdiBehaviour } from './releases.js';
export { cdiBehaviour, newestRelease } from './releases.js';

/**
 * A parsed CDI version; `text` is normalised to start with "v". `patch` is absent when only the minor is
 * named (`1.64`, as `--cdi-version` accepts it): that means the line's newest known tag. `newerThanTag` marks a
 * `git describe` suffix (`v1.62.0-12-gabcdef`: commits after the tag).
 */
export type ParsedCdiVersion =
  | { ok: true; major: number; minor: number; patch?: number; newerThanTag?: true; text: string }
  | { ok: false; error: string };

/** Where the version in use came from. */
export interface ResolvedCdiVersion {
  behaviour: CdiBehaviour;
  /** The version as reported ("v1.63.1"), or the assumed one ("v1.66.0"). */
  version: string;
  source: 'setting' | 'workspace' | 'cluster' | 'assumed';
  /** sentence for messages, e.g. "CDI v1.66.0 assumed, the newest release (no version known: set kubevirtStorage.cdi.version or --cdi-version)" */
  describe: string;
}

/** Editor setting / CLI flag names, for messages. */
export const settingNames = {
  cdiVersion: 'kubevirtStorage.cdi.version',
  cdiVersionFlag: '--cdi-version',
  defaultFilesystemOverhead: 'kubevirtStorage.cdi.defaultFilesystemOverhead',
} as const;

// "1.63.1", "v1.63.1", "v1.64.0-rc.1", "v1.62.0-12-gabcdef" (git describe), "v1.63" (the minor).
const versionPattern = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?([-+][0-9A-Za-z.+-]*)?$/;
const gitDescribe = /^-\d+-g[0-9a-f]{4,40}$/;

/** Parses a CDI version as tags, `status.observedVersion` and `git describe` write it. */
export function parseCdiVersion(text: string): ParsedCdiVersion {
  // Every render resolves the version: the few distinct texts are parsed once (results are never mutated).
  let parsed = parsedVersions.get(text);
  if (parsed === undefined) {
    if (parsedVersions.size >= 64) parsedVersions.clear();
    parsedVersions.set(text, (parsed = parse(text)));
  }
  return parsed;
}

const parsedVersions = new Map<string, ParsedCdiVersion>();

function parse(text: string): ParsedCdiVersion {
  return parseReleaseVersion(text) ?? { ok: false, error: `"${text}" is not a CDI version (expected e.g. v1.63.1)` };
}

/**
 * A release version as the kubevirt projects' tags, CR statuses and `git describe` write it (CDI's and KubeVirt's
 * alike): major, minor, an optional patch, `newerThanTag` for a `git describe` suffix; undefined when it is none.
 */
export function parseReleaseVersion(text: string): Extract<ParsedCdiVersion, { ok: true }> | undefined {
  const trimmed = text.trim();
  const m = versionPattern.exec(trimmed);
  if (!m) return undefined;
  const [, major, minor, patch, suffix] = m;
  const normalised = trimmed.startsWith('v') ? trimmed : `v${trimmed}`;
  const version = { ok: true as const, major: Number(major), minor: Number(minor), text: normalised };
  if (patch === undefined) return version;
  return { ...version, patch: Number(patch), ...(suffix !== undefined && gitDescribe.test(suffix) ? { newerThanTag: true as const } : {}) };
}

/** The behaviour of a parsed version. */
export function behaviourOf(p: Extract<ParsedCdiVersion, { ok: true }>): CdiBehaviour {
  return cdiBehaviour(p.major, p.minor, p.patch, p.newerThanTag === true);
}

/** The version assumed when none is known: the newest release. */
export const assumedCdiVersion = newestRelease;

/** Where a fact came from, as a short parenthesis for messages: "cdiconfig.yaml", "cluster ctx". */
export function describeFactSource(source: FactSource): string {
  switch (source.kind) {
    case 'workspace':
      return source.file;
    case 'cluster':
      return source.context ? `cluster ${source.context}` : 'cluster';
    case 'default':
      return source.reason;
    case 'setting':
      return `setting ${source.name}`;
  }
}

function sourceKind(source: FactSource): ResolvedCdiVersion['source'] {
  switch (source.kind) {
    case 'workspace':
      return 'workspace';
    case 'cluster':
      return 'cluster';
    case 'setting':
      return 'setting';
    case 'default':
      return 'assumed';
  }
}

/**
 * Which version applies: settings.cdiVersion, else facts.cdiVersion(), else ASSUMED: the newest release
 * (releases.ts `newestRelease`). An unparsable setting or fact falls through to the next source, and `describe`
 * says so.
 */
export function resolveCdiVersion(settings: Settings, facts: Facts): ResolvedCdiVersion {
  // Every render asks: the same setting and the same fact object (the index keeps a fact equal by value as the
  // very object) resolve to the same, unmutated result. The fact is still looked up (and so recorded) as before.
  const setting = settings.cdiVersion;
  const fact = setting !== undefined && setting.trim() !== '' && parseCdiVersion(setting).ok ? undefined : facts.cdiVersion();
  const last = lastResolved;
  if (last && last.setting === setting && last.fact === fact) return last.resolved;
  const resolved = resolve(setting, fact);
  lastResolved = { setting, fact, resolved };
  return resolved;
}

let lastResolved: { setting: string | undefined; fact: CdiVersionFact | undefined; resolved: ResolvedCdiVersion } | undefined;

function resolve(setting: string | undefined, fact: CdiVersionFact | undefined): ResolvedCdiVersion {
  const settings = { cdiVersion: setting };
  const problems: string[] = [];
  if (settings.cdiVersion !== undefined && settings.cdiVersion.trim() !== '') {
    const p = parseCdiVersion(settings.cdiVersion);
    if (p.ok) {
      return { behaviour: behaviourOf(p), version: p.text, source: 'setting', describe: `CDI ${p.text} from setting ${settingNames.cdiVersion}` };
    }
    problems.push(`setting ${settingNames.cdiVersion} ignored: ${p.error}`);
  }
  if (fact?.version !== undefined) {
    const p = parseCdiVersion(fact.version);
    if (p.ok) {
      const kind = sourceKind(fact.source);
      const from = kind === 'cluster' ? `reported by the ${describeFactSource(fact.source)}` : `from ${describeFactSource(fact.source)}`;
      return { behaviour: behaviourOf(p), version: p.text, source: kind, describe: [`CDI ${p.text} ${from}`, ...problems].join('; ') };
    }
    problems.push(`version ${JSON.stringify(fact.version)} from ${describeFactSource(fact.source)} ignored: ${p.error}`);
  }
  const { major, minor, patch } = assumedCdiVersion;
  const behaviour = cdiBehaviour(major, minor, patch);
  const why = problems.length > 0 ? problems.join('; ') : 'no version known';
  return {
    behaviour,
    version: behaviour.version,
    source: 'assumed',
    describe: `CDI ${behaviour.version} assumed, the newest release (${why}: set ${settingNames.cdiVersion} or ${settingNames.cdiVersionFlag})`,
  };
}

/**
 * CDI versions and the rendering behaviour each one has. Only the minor version decides: the formula change
 * (v1.63.0, "Fix math in overhead size calculations", #3779), the 0.06 default (v1.64.0, #3812) and the
 * snapshot-restore skip (v1.64.0, #3973).
 *
 * Known imprecision: #3779 and #3812 were backported together to release-v1.61 (#3859, merged 2025-08), so
 * late v1.61.z patch releases multiply with 0.06, while this table says divide/0.055 for every v1.61.z; the
 * release-v1.62 backports (#3858, #3981) were still open in the stored snapshot. The patch number that first
 * carries a backport is not known here, so patch releases are not modelled.
 */
import type { CdiVersionFact, Facts, FactSource } from '../facts.js';
import type { Settings } from '../types.js';

/** How one CDI minor version renders sizes. */
export interface CdiBehaviour {
  /** The minor version this behaviour describes, e.g. "v1.63". */
  version: string;
  /** 'divide': ceil(aligned/(1-o)) (<=v1.62); 'multiply': ceil(aligned*(1+o)) (>=v1.63) */
  formula: 'divide' | 'multiply';
  /** `common.DefaultGlobalOverhead`: "0.055" up to v1.63, "0.06" from v1.64. */
  defaultOverhead: string;
  /** >= v1.64: no inflation when dataSource/dataSourceRef is a VolumeSnapshot */
  skipsSnapshotSources: boolean;
}

/**
 * A parsed CDI version; `text` is normalised to start with "v". `patch` is absent when only the minor is
 * named (`1.64`, as `--cdi-version` accepts it): that means the minor's newest known behaviour, which is
 * the minor's own as long as patch releases are not modelled (see the module comment).
 */
export type ParsedCdiVersion = { ok: true; major: number; minor: number; patch?: number; text: string } | { ok: false; error: string };

/** Where the version in use came from. */
export interface ResolvedCdiVersion {
  behaviour: CdiBehaviour;
  /** The version as reported ("v1.63.1"), or the assumed minor ("v1.63"). */
  version: string;
  source: 'setting' | 'workspace' | 'cluster' | 'assumed';
  /** sentence for messages, e.g. "CDI v1.63 assumed (no version known: set kubevirtStorage.cdi.version or --cdi-version)" */
  describe: string;
}

/** Editor setting / CLI flag names, for messages. */
export const settingNames = {
  cdiVersion: 'kubevirtStorage.cdi.version',
  cdiVersionFlag: '--cdi-version',
  defaultFilesystemOverhead: 'kubevirtStorage.cdi.defaultFilesystemOverhead',
} as const;

// "1.63.1", "v1.63.1", "v1.64.0-rc.1", "v1.62.0-12-gabcdef" (git describe), "v1.63" (the minor).
const versionPattern = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+][0-9A-Za-z.+-]*)?$/;

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
  const trimmed = text.trim();
  const m = versionPattern.exec(trimmed);
  if (!m) return { ok: false, error: `"${text}" is not a CDI version (expected e.g. v1.63.1)` };
  const [, major, minor, patch] = m;
  const normalised = trimmed.startsWith('v') ? trimmed : `v${trimmed}`;
  const version = { ok: true as const, major: Number(major), minor: Number(minor), text: normalised };
  return patch === undefined ? version : { ...version, patch: Number(patch) };
}

/** The rendering behaviour of CDI `major.minor` (see the module comment for backports not modelled). */
export function cdiBehaviour(major: number, minor: number): CdiBehaviour {
  // There is no CDI v2; treat anything past v1 as the newest behaviour.
  const m = major > 1 ? Number.MAX_SAFE_INTEGER : major < 1 ? -1 : minor;
  const version = `v${major}.${minor}`;
  if (m <= 62) return { version, formula: 'divide', defaultOverhead: '0.055', skipsSnapshotSources: false };
  if (m === 63) return { version, formula: 'multiply', defaultOverhead: '0.055', skipsSnapshotSources: false };
  return { version, formula: 'multiply', defaultOverhead: '0.06', skipsSnapshotSources: true };
}

/** The version assumed when none is known: the newest that still inflates snapshot restores. */
export const assumedCdiVersion = { major: 1, minor: 63 } as const;

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
 * Which version applies: settings.cdiVersion, else facts.cdiVersion(), else ASSUMED: the newest version that
 * still inflates snapshot restores (v1.63.x, i.e. multiply with default 0.055). An unparsable setting or fact
 * falls through to the next source, and `describe` says so.
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
      return {
        behaviour: cdiBehaviour(p.major, p.minor),
        version: p.text,
        source: 'setting',
        describe: `CDI ${p.text} from setting ${settingNames.cdiVersion}`,
      };
    }
    problems.push(`setting ${settingNames.cdiVersion} ignored: ${p.error}`);
  }
  if (fact) {
    const p = parseCdiVersion(fact.version);
    if (p.ok) {
      const kind = sourceKind(fact.source);
      const from = kind === 'cluster' ? `reported by the ${describeFactSource(fact.source)}` : `from ${describeFactSource(fact.source)}`;
      return {
        behaviour: cdiBehaviour(p.major, p.minor),
        version: p.text,
        source: kind,
        describe: [`CDI ${p.text} ${from}`, ...problems].join('; '),
      };
    }
    problems.push(`version ${JSON.stringify(fact.version)} from ${describeFactSource(fact.source)} ignored: ${p.error}`);
  }
  const behaviour = cdiBehaviour(assumedCdiVersion.major, assumedCdiVersion.minor);
  const why = problems.length > 0 ? problems.join('; ') : 'no version known';
  return {
    behaviour,
    version: behaviour.version,
    source: 'assumed',
    describe: `CDI ${behaviour.version} assumed (${why}: set ${settingNames.cdiVersion} or ${settingNames.cdiVersionFlag})`,
  };
}

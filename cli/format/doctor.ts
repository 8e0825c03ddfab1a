/**
 * `kvstorage doctor` output: lint's three formats for findings on cluster resources. Where lint names a file
 * and a range, the doctor names the resource `{apiVersion, kind, namespace, name}`; in SARIF it is a logical
 * location (`namespace/kind/name`, kind "resource") rather than a physical one.
 */
import type { ClusterFinding, ResourceRef } from '../../core/doctor/index.js';
import { ruleCatalog } from '../../core/rules/catalog.js';
import type { Severity } from '../../core/types.js';
import { sarifLevels, sarifLog } from './sarif.js';
import { oneLine, severityCounts } from './text.js';

/** `vms/snap`, or `nas` for a cluster-scoped resource. */
function resourceName(r: ResourceRef): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

const ansi = { red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' } as const;
const severityColor: Record<Severity, string> = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan, hint: ansi.dim };

export interface DoctorTextOptions {
  color: boolean;
  /** What was scanned, for the clean summary: `context "prod", namespace "vms"`. */
  scope: string;
  /** Findings in namespaces the scan did not cover (counted for the -A hint; not printed). */
  elsewhere?: readonly ClusterFinding[];
}

type Paint = (code: string, s: string) => string;

/** `VirtualMachineSnapshot vms/snap`: what a finding is on. */
export function resourceLabel(r: ResourceRef): string {
  return `${r.kind} ${resourceName(r)}`;
}

/** `Kind ns/name: severity rule: message` on one line. */
export function clusterFindingLine(f: ClusterFinding, paint: Paint = (_code, s) => s): string {
  return `${resourceLabel(f.resource)}: ${paint(severityColor[f.severity], f.severity)} ${paint(ansi.dim, f.rule)}: ${oneLine(f.message)}`;
}

/**
 * `VirtualMachineSnapshot vms/snap: error vm-restore-inflation: ...`, one line each, then a summary; with
 * `elsewhere` (findings a namespace scan left out), a line saying how many there are and that -A shows them.
 */
export function formatDoctorText(findings: readonly ClusterFinding[], options: DoctorTextOptions): string {
  const paint: Paint = (code, s) => (options.color ? `${code}${s}${ansi.reset}` : s);
  const lines = findings.map((f) => clusterFindingLine(f, paint));
  if (findings.length === 0) {
    lines.push(`no problems found in ${options.scope}`);
  } else {
    const errors = findings.some((f) => f.severity === 'error');
    lines.push(paint(ansi.bold + (errors ? ansi.red : ''), `${severityCounts(findings)} in ${options.scope}`));
  }
  const others = options.elsewhere ?? [];
  if (others.length > 0) {
    const n = others.length;
    lines.push(`${n} more finding${n === 1 ? '' : 's'} in other namespaces (${severityCounts(others, { nonZero: true })}): run with -A`);
  }
  return lines.join('\n') + '\n';
}

export interface JsonClusterFinding {
  resource: ResourceRef;
  rule: string;
  severity: Severity;
  message: string;
  data: Record<string, string>;
}

/** `{"findings":[{resource, rule, severity, message, data}]}`; `namespace` only for namespaced resources. */
export function formatDoctorJson(findings: readonly ClusterFinding[]): string {
  const out: { findings: JsonClusterFinding[] } = {
    findings: findings.map((f) => ({
      resource: {
        apiVersion: f.resource.apiVersion,
        kind: f.resource.kind,
        ...(f.resource.namespace ? { namespace: f.resource.namespace } : {}),
        name: f.resource.name,
      },
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      data: { ...f.data },
    })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export interface DoctorSarifOptions {
  version: string;
  informationUri: string;
}


/** `namespace/kind/name`, or `kind/name` for a cluster-scoped resource. */
export function fullyQualifiedName(r: ResourceRef): string {
  return r.namespace ? `${r.namespace}/${r.kind}/${r.name}` : `${r.kind}/${r.name}`;
}

/** SARIF 2.1.0: one run; each result's location is the resource as a logical location, listed in the run. */
export function formatDoctorSarif(findings: readonly ClusterFinding[], options: DoctorSarifOptions): string {
  const ruleIndex = new Map(ruleCatalog.map((r, i) => [r.id, i]));
  const locationIndex = new Map<string, number>();
  const logicalLocations: object[] = [];
  const results = findings.map((f) => {
    const fqn = fullyQualifiedName(f.resource);
    let index = locationIndex.get(fqn);
    if (index === undefined) {
      index = logicalLocations.length;
      locationIndex.set(fqn, index);
      logicalLocations.push({
        name: f.resource.name,
        fullyQualifiedName: fqn,
        kind: 'resource',
        properties: { apiVersion: f.resource.apiVersion, kind: f.resource.kind, ...(f.resource.namespace ? { namespace: f.resource.namespace } : {}) },
      });
    }
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: sarifLevels[f.severity],
      message: { text: f.message },
      locations: [{ logicalLocations: [{ index, name: f.resource.name, fullyQualifiedName: fqn, kind: 'resource' }] }],
      properties: { ...f.data },
    };
  });
  const log = sarifLog(options, { logicalLocations, results });
  return JSON.stringify(log, null, 2) + '\n';
}

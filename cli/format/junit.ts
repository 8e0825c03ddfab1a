/**
 * JUnit XML, the test report CI systems read (GitLab's `artifacts:reports:junit`, Jenkins' junit step, Azure
 * Pipelines, GitHub test-report actions), in the common shape of Jenkins' junit-10.xsd:
 * `<testsuites>` › `<testsuite name tests failures errors skipped>` › `<testcase name classname>` with at most
 * one `<failure message type>`, a `<skipped message>`, and `<system-out>`.
 *
 * lint: one test suite per file; one test case per object that carries findings, or one for a file without
 * any. doctor: one suite per check; one case per resource with findings, one for a check that found nothing
 * or was skipped. Findings at or above `--fail-on` are the failure (so the report agrees with the exit
 * status); the others are listed in `<system-out>`.
 */
import type { ClusterFinding } from '../../core/doctor/index.js';
import type { FindingObject } from '../../core/findingObjects.js';
import type { Finding } from '../../core/types.js';
import { failing, type FailOn } from '../failOn.js';
import { clusterFindingLine, resourceLabel } from './doctor.js';
import { findingLine, oneLine } from './text.js';

export interface JunitCase {
  name: string;
  classname: string;
  /** Findings that fail the case (at or above --fail-on), as lines. */
  failures: { type: string; message: string; line: string }[];
  /** Findings below the threshold, as lines. */
  output: string[];
  /** Why the case did not run. */
  skipped?: string;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

// XML 1.0 allows tab, LF, CR and these ranges; anything else (a stray control character in a message) is replaced.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlText(s: string): string {
  return s.replace(notXmlChar, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value: white space other than spaces is escaped, or parsers would normalise it to spaces. */
function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
}

function testcase(c: JunitCase): string {
  const head = `    <testcase${attrs([['name', c.name], ['classname', c.classname]])}`;
  const body: string[] = [];
  if (c.skipped !== undefined) body.push(`      <skipped${attrs([['message', c.skipped]])}/>`);
  const [first, ...more] = c.failures;
  if (first) {
    const message = more.length > 0 ? `${first.message} (and ${more.length} more)` : first.message;
    body.push(`      <failure${attrs([['message', message], ['type', first.type]])}>${xmlText(c.failures.map((f) => f.line).join('\n'))}</failure>`);
  }
  if (c.output.length > 0) body.push(`      <system-out>${xmlText(c.output.join('\n'))}</system-out>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n    </testcase>`;
}

/** The XML document of `suites` under one `<testsuites name>`. */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const count = (s: JunitSuite, what: 'tests' | 'failures' | 'skipped'): number =>
    what === 'tests' ? s.cases.length : what === 'failures' ? s.cases.filter((c) => c.failures.length > 0).length : s.cases.filter((c) => c.skipped !== undefined).length;
  const total = (what: 'tests' | 'failures' | 'skipped'): number => suites.reduce((n, s) => n + count(s, what), 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs([['name', name], ['tests', total('tests')], ['failures', total('failures')], ['errors', 0], ['skipped', total('skipped')]])}>`];
  for (const s of suites) {
    const head = `  <testsuite${attrs([['name', s.name], ['tests', count(s, 'tests')], ['failures', count(s, 'failures')], ['errors', 0], ['skipped', count(s, 'skipped')]])}`;
    if (s.cases.length === 0) lines.push(`${head}/>`);
    else lines.push(`${head}>`, ...s.cases.map(testcase), '  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** A case's failures and output from its findings, split at `failOn`. */
function split<F extends { rule: string; severity: Finding['severity']; message: string }>(findings: readonly F[], line: (f: F) => string, failOn: FailOn | undefined): Pick<JunitCase, 'failures' | 'output'> {
  const failures: JunitCase['failures'] = [];
  const output: string[] = [];
  for (const f of findings) {
    if (failing(f.severity, failOn)) failures.push({ type: f.rule, message: `${f.severity} ${f.rule}: ${oneLine(f.message)}`, line: line(f) });
    else output.push(line(f));
  }
  return { failures, output };
}

export interface LintJunitFile {
  file: string;
  /** The file's findings by object (core's findingsByObject); empty for a clean file. */
  objects: readonly FindingObject[];
}

/** `kvstorage lint --format junit`. */
export function formatLintJunit(files: readonly LintJunitFile[], options: { failOn?: FailOn }): string {
  const suites = files.map((f): JunitSuite => ({
    name: f.file,
    cases:
      f.objects.length === 0
        ? [{ name: f.file, classname: f.file, failures: [], output: [] }]
        : f.objects.map((o) => ({ name: o.label, classname: f.file, ...split(o.findings, (x) => findingLine(x), options.failOn) })),
  }));
  return junitXml('kvstorage lint', suites);
}

export interface DoctorJunitCheck {
  rule: string;
  /** Why the check did not run (a group the cluster does not serve, resources it may not read). */
  skipped?: string;
}

/** `kvstorage doctor --format junit`: the checks that were asked for, each with what it found. */
export function formatDoctorJunit(findings: readonly ClusterFinding[], options: { checks: readonly DoctorJunitCheck[]; scope: string; failOn?: FailOn }): string {
  const suites = options.checks.map((check): JunitSuite => {
    if (check.skipped !== undefined) return { name: check.rule, cases: [{ name: options.scope, classname: check.rule, failures: [], output: [], skipped: check.skipped }] };
    const byResource = new Map<string, ClusterFinding[]>();
    for (const f of findings.filter((x) => x.rule === check.rule)) {
      const label = resourceLabel(f.resource);
      const list = byResource.get(label);
      if (list) list.push(f);
      else byResource.set(label, [f]);
    }
    const cases: JunitCase[] =
      byResource.size === 0
        ? [{ name: options.scope, classname: check.rule, failures: [], output: [] }]
        : [...byResource].map(([label, fs]) => ({ name: label, classname: check.rule, ...split(fs, (x) => clusterFindingLine(x), options.failOn) }));
    return { name: check.rule, cases };
  });
  return junitXml('kvstorage doctor', suites);
}

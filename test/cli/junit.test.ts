/** `--format junit`: the writer, its escaping, the --fail-on split, and the structure check it must pass. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterFinding } from '../../core/doctor/index.js';
import { formatDoctorJunit, formatLintJunit, type LintJunitFile } from '../../cli/format/junit.js';
import { assertGolden } from './golden.js';
import { junitErrors, parseXml, type XmlElement } from './junitSchema.js';
import { sampleFiles, sampleFindings } from './sampleFindings.js';

/** The sample findings as lint hands them over: per file, grouped by (hand-named) object. */
const sampleObjects: LintJunitFile[] = sampleFiles.map((file) => {
  const fs = sampleFindings.filter((f) => f.file === file);
  if (file === 'examples/restore.yaml') {
    return { file, objects: [{ label: 'PersistentVolumeClaim restore-small', findings: [fs[0]!] }, { label: 'PersistentVolumeClaim restore-big', findings: [fs[1]!] }] };
  }
  return { file, objects: fs.length === 0 ? [] : [{ label: 'document 1', findings: fs }] };
});

function parse(xml: string): XmlElement {
  const problems: string[] = [];
  const root = parseXml(xml, problems);
  assert.deepEqual(problems, []);
  return root!;
}

const cases = (root: XmlElement): XmlElement[] => root.children.flatMap((s) => s.children);

describe('junit format: lint', () => {
  it('one suite per file, one case per object or per clean file, failures for errors (golden)', () => {
    const xml = formatLintJunit(sampleObjects, {});
    assert.deepEqual(junitErrors(xml), []);
    assertGolden('findings.junit.xml', xml);
    const root = parse(xml);
    assert.deepEqual(root.children.map((s) => s.attributes['name']), sampleFiles);
    assert.deepEqual(cases(root).map((c) => `${c.attributes['classname']} | ${c.attributes['name']} | ${c.children.map((x) => x.name).join(',')}`), [
      'examples/restore.yaml | PersistentVolumeClaim restore-small | failure',
      'examples/restore.yaml | PersistentVolumeClaim restore-big | system-out',
      'examples/vm disk.yaml | document 1 | system-out',
      'examples/clean.yaml | examples/clean.yaml | ',
      '<stdin> | document 1 | system-out',
    ]);
    assert.deepEqual([root.attributes['tests'], root.attributes['failures']], ['5', '1']);
  });

  it('--fail-on moves the threshold: warnings and infos fail too, hints never', () => {
    const root = parse(formatLintJunit(sampleObjects, { failOn: 'info' }));
    assert.deepEqual(cases(root).map((c) => c.children.map((x) => x.name).join(',')), ['failure', 'failure', 'failure', '', 'system-out']);
    assert.equal(root.attributes['failures'], '3');
  });

  it('escapes markup and control characters; a multi-line message stays one line in the failure message', () => {
    const f = { ...sampleFindings[0]!, message: 'a <b> & "c"\n\'d\' \u0007 done' };
    const xml = formatLintJunit([{ file: 'x&y.yaml', objects: [{ label: 'PVC <x>', findings: [f, { ...f, rule: 'second' }] }] }], {});
    assert.deepEqual(junitErrors(xml), []);
    const failure = cases(parse(xml))[0]!.children[0]!;
    assert.equal(failure.attributes['message'], `error restore-size-too-small: a <b> & "c" 'd' \uFFFD done (and 1 more)`);
    assert.equal(failure.text.split('\n').length, 2, 'one line per failing finding');
    assert.match(xml, /name="x&amp;y\.yaml"/);
  });

  it('no files: an empty, valid report', () => {
    const xml = formatLintJunit([], {});
    assert.deepEqual(junitErrors(xml), []);
    assert.equal(parse(xml).attributes['tests'], '0');
  });
});

describe('junit format: doctor', () => {
  const vm: ClusterFinding = {
    resource: { apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', namespace: 'vms', name: 'snap' },
    rule: 'vm-restore-inflation',
    severity: 'error',
    message: 'will fail',
    data: {},
  };
  const profile: ClusterFinding = { resource: { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', name: 'standard' }, rule: 'storageprofile-incomplete', severity: 'warning', message: 'no sets', data: {} };

  it('one suite per check: a case per resource, a passing case when clean, skipped with the reason', () => {
    const xml = formatDoctorJunit([vm, profile], {
      checks: [{ rule: 'vm-restore-inflation' }, { rule: 'storageprofile-incomplete' }, { rule: 'multiple-default-storage-classes' }, { rule: 'snapshot-not-ready', skipped: 'the cluster does not serve snapshot.storage.k8s.io' }],
      scope: 'context "lab", namespace "vms"',
    });
    assert.deepEqual(junitErrors(xml), []);
    const root = parse(xml);
    assert.deepEqual(cases(root).map((c) => `${c.attributes['classname']} | ${c.attributes['name']} | ${c.children.map((x) => `${x.name}${x.attributes['message'] ? `: ${x.attributes['message']}` : ''}`).join(',')}`), [
      'vm-restore-inflation | VirtualMachineSnapshot vms/snap | failure: error vm-restore-inflation: will fail',
      'storageprofile-incomplete | StorageProfile standard | system-out',
      'multiple-default-storage-classes | context "lab", namespace "vms" | ',
      'snapshot-not-ready | context "lab", namespace "vms" | skipped: the cluster does not serve snapshot.storage.k8s.io',
    ]);
    assert.deepEqual([root.attributes['tests'], root.attributes['failures'], root.attributes['skipped']], ['4', '1', '1']);
  });
});

describe('the JUnit structure check', () => {
  it('finds what is wrong', () => {
    const ok = formatLintJunit(sampleObjects, {});
    assert.match(junitErrors(ok.replace('tests="5"', 'tests="4"')).join('\n'), /testsuites: tests="4" but 5/);
    assert.match(junitErrors(ok.replace('<system-out>', '<system-out><x/>')).join('\n'), /child elements/);
    assert.match(junitErrors(ok.replace('</testsuite>', '')).join('\n'), /closes|unclosed/);
    assert.match(junitErrors(ok.replace('&lt;stdin&gt;:4:3', '&bogus;stdin:4:3')).join('\n'), /unknown entity/);
    assert.match(junitErrors(ok.replace(' classname="&lt;stdin&gt;"', '')).join('\n'), /no classname/);
    assert.match(junitErrors(ok.replace('&lt;stdin&gt;', '<stdin>')).join('\n'), /malformed|closes|unclosed/);
  });
});

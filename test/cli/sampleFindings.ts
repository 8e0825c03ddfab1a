/**
 * Hand-made findings for the formatter goldens: every severity, with and without data, a finding with
 * fixes (which no output prints), a multi-line message, a path needing URI escapes, stdin, a rule id the
 * catalogue does not know.
 */
import type { Finding } from '../../core/types.js';

const range = (line: number, character: number, endLine: number, endCharacter: number): Finding['range'] => ({
  start: { line, character },
  end: { line: endLine, character: endCharacter },
});

/** The files the findings came from, in analysis order (SARIF `artifacts`). */
export const sampleFiles: string[] = ['examples/restore.yaml', 'examples/vm disk.yaml', 'examples/clean.yaml', '<stdin>'];

export const sampleFindings: Finding[] = [
  {
    rule: 'restore-size-too-small',
    severity: 'error',
    message: "PVC 'restore-small' asks for 10Mi (10,485,760 bytes), less than the snapshot's restoreSize 20Mi (20,971,520 bytes).",
    file: 'examples/restore.yaml',
    range: range(11, 6, 11, 24),
    data: { requestedBytes: '10485760', restoreSizeBytes: '20971520', snapshot: 'default/snap-1' },
    fixes: [{ title: 'Request 20Mi', preferred: true, edits: [{ range: range(11, 16, 11, 20), newText: '20Mi' }] }],
  },
  {
    rule: 'restore-size-exceeded',
    severity: 'warning',
    message: "PVC 'restore-big' asks for 21Gi,\nmore than the snapshot's restoreSize 20Mi.",
    file: 'examples/restore.yaml',
    range: range(30, 16, 30, 20),
  },
  {
    rule: 'snapshot-not-found',
    severity: 'info',
    message: "VolumeSnapshot 'missing' is in none of the analysed files.",
    file: 'examples/vm disk.yaml',
    range: range(0, 0, 2, 0),
    data: {},
  },
  {
    rule: 'future-rule',
    severity: 'hint',
    message: 'A rule the catalogue does not list yet.',
    file: '<stdin>',
    range: range(3, 2, 3, 2),
  },
];

/** `--fail-on`: the lowest severity that makes the exit status 1 (and, in JUnit, a failure). */
import type { Severity } from '../core/types.js';

/** Severities `--fail-on` takes, most severe first. */
export const failOnLevels = ['error', 'warning', 'info'] as const satisfies readonly Severity[];
export type FailOn = (typeof failOnLevels)[number];

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Whether a finding of this severity fails at `failOn` (default error): it is that severe or more. */
export function failing(severity: Severity, failOn: FailOn = 'error'): boolean {
  return severityRank[severity] <= severityRank[failOn];
}

/** Whether findings make the exit status 1. */
export function failsAt(findings: readonly { severity: Severity }[], failOn: FailOn = 'error'): boolean {
  return findings.some((f) => failing(f.severity, failOn));
}

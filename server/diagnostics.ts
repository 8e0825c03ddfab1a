/**
 * Finding → LSP Diagnostic. The severity conversion lives here and nowhere else.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../core/types.js';

/** `source` of every diagnostic this server publishes. */
export const diagnosticSource = 'kubevirt-storage';

/** Core severity → LSP severity (core has no LSP enums; LSP's Error is 1, not VS Code's 0). */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default: {
      const unknown: never = severity;
      throw new Error(`unknown severity ${String(unknown)}`);
    }
  }
}

/**
 * A finding as a diagnostic. Made once per finding object: the Workspace hands out the same objects while a
 * finding is unchanged and unmoved, so re-publishing a large file builds only what moved. No `data`: the
 * code-action handler finds a diagnostic's fixes among the findings last published (codeActions.ts).
 */
export function toDiagnostic(finding: Finding): Diagnostic {
  let d = made.get(finding);
  if (!d) {
    d = { range: finding.range, severity: toLspSeverity(finding.severity), code: finding.rule, source: diagnosticSource, message: finding.message };
    made.set(finding, d);
  }
  return d;
}

const made = new WeakMap<Finding, Diagnostic>();

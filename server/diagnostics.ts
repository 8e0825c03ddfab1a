/**
 * Finding → LSP Diagnostic. The severity conversion lives here and nowhere else.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../core/types.js';
import { ruleDocHref } from './ruleDocs.js';

/** `source` of every diagnostic this server publishes. */
export const diagnosticSource = 'kubevirt-storage';

/**
 * What the code-action handler needs of a diagnostic: the fixes of its finding, and the document version they
 * were computed against (edits for an older version must not be offered). Only the version travels in the
 * diagnostic's `data`: the fixes are looked up in the findings last published for that version, which keeps
 * the publish of a large file small (fixes were a third of its bytes).
 */
export interface DiagnosticData {
  version: number;
  fixes: Fix[];
}

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

/** One finding of the document at `version` as a diagnostic; its code links the rule's page, `related` becomes relatedInformation. */
export function toDiagnostic(finding: Finding, version: number): Diagnostic {
  const data = { version };
  const href = ruleDocHref(finding.rule);
  return {
    range: finding.range,
    severity: toLspSeverity(finding.severity),
    code: finding.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: diagnosticSource,
    message: finding.message,
    ...(finding.related?.length ? { relatedInformation: finding.related.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })) } : {}),
    data,
  };
}

/** The data of one of our diagnostics as the client sent it back, if it is intact. */
export function diagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data: unknown = diagnostic.data;
  if (data === null || typeof data !== 'object') return undefined;
  const { version, fixes } = data as Partial<DiagnosticData>;
  if (typeof version !== 'number' || !Array.isArray(fixes)) return undefined;
  return { version, fixes };
}

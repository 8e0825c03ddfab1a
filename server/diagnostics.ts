/**
 * Finding → LSP Diagnostic. The severity conversion lives here and nowhere else.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../core/types.js';
import type { FileFindings, FindingBlock } from '../core/workspace.js';
import { ruleDocHref } from './ruleDocs.js';

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
 * A finding as a diagnostic; its code links the rule's page, `related` becomes relatedInformation. Made once per
 * finding object: the Workspace hands out the same objects while a finding is unchanged and unmoved, so
 * re-publishing a large file builds only what moved. No `data`: the code-action handler finds a diagnostic's
 * fixes among the findings last published (codeActions.ts).
 */
export function toDiagnostic(finding: Finding): Diagnostic {
  let d = made.get(finding);
  if (!d) {
    d = diagnosticAt(finding, finding.range);
    made.set(finding, d);
  }
  return d;
}

function diagnosticAt(finding: Finding, range: Diagnostic['range']): Diagnostic {
  const href = ruleDocHref(finding.rule);
  return {
    range,
    severity: toLspSeverity(finding.severity),
    code: finding.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: diagnosticSource,
    message: finding.message,
    // Other files' places: never shifted with the finding's block.
    ...(finding.related?.length ? { relatedInformation: finding.related.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })) } : {}),
  };
}

const made = new WeakMap<Finding, Diagnostic>();

/**
 * A file's diagnostics from the Workspace's report: each block (one document segment's findings, relative to its
 * first line) is converted once per line it is placed at, so an edit re-makes only the diagnostics that moved.
 */
export function diagnosticsOf(report: FileFindings): Diagnostic[] {
  if (!report.sorted) return report.all().map(toDiagnostic);
  const out: Diagnostic[] = [];
  for (const b of report.blocks) for (const d of blockDiagnostics(b)) out.push(d);
  return out;
}

const blocks = new WeakMap<readonly Finding[], { line: number; diagnostics: Diagnostic[] }>();

function blockDiagnostics(b: FindingBlock): Diagnostic[] {
  const known = blocks.get(b.findings);
  if (known?.line === b.line) return known.diagnostics;
  const diagnostics = b.line === 0 ? b.findings.map(toDiagnostic) : b.findings.map((f) => placed(f, b.line));
  blocks.set(b.findings, { line: b.line, diagnostics });
  return diagnostics;
}

function placed(f: Finding, line: number): Diagnostic {
  const { start, end } = f.range;
  return diagnosticAt(f, { start: { line: start.line + line, character: start.character }, end: { line: end.line + line, character: end.character } });
}

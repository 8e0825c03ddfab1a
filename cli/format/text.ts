/**
 * Human output, one line per finding as eslint's unix format prints them (`file:line:col: ...`, 1-based,
 * columns in UTF-16 code units like the editor's), then a summary line.
 */
import type { Finding, Severity } from '../../core/types.js';

export interface TextFormatOptions {
  /** How many files were analysed (for "no problems found in N files"). */
  fileCount: number;
  color: boolean;
}

const ansi = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;

const severityColor: Record<Severity, string> = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan, hint: ansi.dim };

export function formatText(findings: readonly Finding[], options: TextFormatOptions): string {
  const paint = (code: string, s: string): string => (options.color ? `${code}${s}${ansi.reset}` : s);
  const lines = findings.map((f) => {
    const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}:`;
    // One finding per line, whatever the message holds, so grep and editors' problem matchers work.
    const message = f.message.replace(/\s*\r?\n\s*/g, ' ');
    return `${where} ${paint(severityColor[f.severity], f.severity)} ${paint(ansi.dim, f.rule)}: ${message}`;
  });
  lines.push(summary(findings, options.fileCount, paint));
  return lines.join('\n') + '\n';
}

function summary(findings: readonly Finding[], fileCount: number, paint: (code: string, s: string) => string): string {
  if (findings.length === 0) return `no problems found in ${plural(fileCount, 'file')}`;
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), plural(count('info'), 'info')];
  if (count('hint') > 0) parts.push(plural(count('hint'), 'hint'));
  return paint(ansi.bold + (count('error') > 0 ? ansi.red : ''), parts.join(', '));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

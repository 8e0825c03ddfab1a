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

type Paint = (code: string, s: string) => string;
const noPaint: Paint = (_code, s) => s;

/** `file:line:col: severity rule: message` on one line, whatever the message holds (grep, problem matchers). */
export function findingLine(f: Finding, paint: Paint = noPaint): string {
  const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}:`;
  return `${where} ${paint(severityColor[f.severity], f.severity)} ${paint(ansi.dim, f.rule)}: ${oneLine(f.message)}`;
}

/** A message on one line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}

export function formatText(findings: readonly Finding[], options: TextFormatOptions): string {
  const paint: Paint = (code, s) => (options.color ? `${code}${s}${ansi.reset}` : s);
  const lines = findings.map((f) => findingLine(f, paint));
  lines.push(summary(findings, options.fileCount, paint));
  return lines.join('\n') + '\n';
}

function summary(findings: readonly Finding[], fileCount: number, paint: Paint): string {
  if (findings.length === 0) return `no problems found in ${plural(fileCount, 'file')}`;
  return paint(ansi.bold + (findings.some((f) => f.severity === 'error') ? ansi.red : ''), severityCounts(findings));
}

/** `1 error, 0 warnings, 2 infos` (hints only when there are some); `nonZero`: leave out the zeros. */
export function severityCounts(findings: readonly { severity: Severity }[], options: { nonZero?: boolean } = {}): string {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const parts: [number, string][] = [[count('error'), 'error'], [count('warning'), 'warning'], [count('info'), 'info'], [count('hint'), 'hint']];
  return parts
    .filter(([n, word]) => n > 0 || (!options.nonZero && word !== 'hint'))
    .map(([n, word]) => plural(n, word))
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

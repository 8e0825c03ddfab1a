/**
 * Machine output: `{"findings":[...]}` with 0-based positions, exactly the fields below in this order.
 * `data` is always an object (`{}` when the finding has none) so consumers see one shape; fixes are left out.
 */
import type { Finding, Range } from '../../core/types.js';

export interface JsonFinding {
  file: string;
  rule: string;
  severity: Finding['severity'];
  message: string;
  range: Range;
  data: Record<string, string>;
}

export function formatJson(findings: readonly Finding[]): string {
  const out: { findings: JsonFinding[] } = {
    findings: findings.map((f) => ({
      file: f.file,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      range: {
        start: { line: f.range.start.line, character: f.range.start.character },
        end: { line: f.range.end.line, character: f.range.end.character },
      },
      data: { ...f.data },
    })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

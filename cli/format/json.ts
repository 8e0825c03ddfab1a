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

function jsonFinding(f: Finding): JsonFinding {
  return {
    file: f.file,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: {
      start: { line: f.range.start.line, character: f.range.start.character },
      end: { line: f.range.end.line, character: f.range.end.character },
    },
    data: { ...f.data },
  };
}

export function formatJson(findings: readonly Finding[]): string {
  const out: { findings: JsonFinding[] } = { findings: findings.map(jsonFinding) };
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * The same text as `formatJson`, written as findings come (file by file) instead of held until the end: a run
 * over 50,000 manifests starts printing at once and never holds its whole output.
 */
export function jsonStream(write: (text: string) => void): { add(findings: readonly Finding[]): void; end(): void } {
  let count = 0;
  return {
    add(findings) {
      if (findings.length === 0) return;
      const parts: string[] = [];
      for (const f of findings) {
        const item = JSON.stringify(jsonFinding(f), null, 2).replace(/\n/g, '\n    ');
        parts.push(`${count++ === 0 ? '{\n  "findings": [\n    ' : ',\n    '}${item}`);
      }
      write(parts.join(''));
    },
    end() {
      write(count === 0 ? '{\n  "findings": []\n}\n' : '\n  ]\n}\n');
    },
  };
}

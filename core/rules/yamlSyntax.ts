/** `yaml-syntax`: a document that could not be parsed (or hit a safety limit). Other documents still count. */
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

/** Enough to fix the first few; a file of binary junk would otherwise flood the editor. */
const maxPerDocument = 5;

export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  defaultSeverity: 'error',
  title: 'YAML syntax error',
  description: 'A document could not be parsed; the other documents in the file are still analysed.',
  reads: 'document',
  kinds: [],
  run(ctx) {
    return ctx.doc.problems.slice(0, maxPerDocument).map(
      (p): Finding => ({
        rule: 'yaml-syntax',
        severity: 'error',
        message: `YAML document ${ctx.doc.index + 1}: ${p.message}`,
        file: ctx.file,
        range: p.range,
        data: { document: String(ctx.doc.index), kind: p.kind },
      }),
    );
  },
};

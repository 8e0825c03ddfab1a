/**
 * Helm templates are not YAML until Helm renders them: a file under a `templates/` folder that holds template
 * actions (`{{ … }}`) is skipped with one info finding, instead of the syntax and quantity errors its text would
 * give. The adapters decide before analysing (the CLI leaves such files out, the server reports just this).
 */
import type { RuleMeta } from './rules/rule.js';
import type { Finding } from './types.js';

export const helmTemplateRule: RuleMeta = {
  id: 'helm-template',
  defaultSeverity: 'info',
  title: 'Helm template not analysed',
  description: "A file under templates/ with Helm template actions ({{ … }}) is skipped: lint what `helm template` renders instead.",
  reads: 'document',
  kinds: [],
};

/** A `templates` folder in the path (a URI or a path, either separator) and a `{{` in the text. */
export function isHelmTemplate(file: string, text: string): boolean {
  return /(^|[\\/])templates[\\/]/.test(file.replace(/[?#].*$/, '')) && text.includes('{{');
}

/** The one finding of a skipped template, on its first template action. */
export function helmTemplateFinding(file: string, text: string): Finding {
  const offset = Math.max(0, text.indexOf('{{'));
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const character = before[line]!.replace(/\r$/, '').length;
  return {
    rule: helmTemplateRule.id,
    severity: 'info',
    message: 'Helm template: not analysed as YAML. Lint what Helm renders: `helm template RELEASE CHART | kvstorage lint -`.',
    file,
    range: { start: { line, character }, end: { line, character: character + 2 } },
  };
}

/**
 * Where each rule's page is: `media/rules/<id>.md` in the package (shipped in the .vsix and the npm package), with
 * the sections What, Why, Upstream, Fix and Example. Adapters resolve the package root: the language server for
 * `codeDescription.href`, the CLI for `kvstorage rules`.
 */
export const ruleDocsFolder = 'media/rules';

/** The sections every page has, in order. */
export const ruleDocSections = ['What', 'Why', 'Upstream', 'Fix', 'Example'] as const;

/** The page of a rule, relative to the package root. */
export function ruleDocPath(id: string): string {
  return `${ruleDocsFolder}/${id}.md`;
}

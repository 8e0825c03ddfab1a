/**
 * Where the rule pages are for the diagnostics' `codeDescription.href`: media/rules/<id>.md beside the server's
 * bundle (dist/server.js → ../media/rules), which the .vsix ships. A `file:` URI: the editor opens it offline.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleInfo } from '../core/rules/catalog.js';
import { ruleDocPath } from '../core/rules/docs.js';

const packageRoot = resolve(__dirname, '..');
const hrefs = new Map<string, string>();

/** The page of a catalogued rule, as a URI; undefined for ids the catalogue does not know. */
export function ruleDocHref(id: string): string | undefined {
  let href = hrefs.get(id);
  if (href === undefined && ruleInfo(id)) hrefs.set(id, (href = pathToFileURL(resolve(packageRoot, ruleDocPath(id))).href));
  return href;
}

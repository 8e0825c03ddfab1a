/**
 * `file-unreadable`: a file the analysis could not read (binary, not UTF-8, over the size limit, permission denied,
 * a symbolic link loop, a dangling link). One finding for that file, with the reason; the other files are analysed
 * and reported as usual. Declared here with its metadata (the catalogue lists it); the readers emit it
 * (cli/files.ts), since no document of the file exists for a rule to run on.
 */
import type { Finding } from '../types.js';
import type { RuleMeta } from './rule.js';

export const FILE_UNREADABLE = 'file-unreadable';

export const fileUnreadable: RuleMeta = {
  id: FILE_UNREADABLE,
  defaultSeverity: 'error',
  title: 'File could not be read',
  description:
    'A file that was to be analysed cannot be read as YAML text: binary, not UTF-8, larger than the limit, unreadable (permissions), or a symbolic link that loops or dangles. The other files are still analysed.',
  reads: 'document',
  kinds: [],
};

/** The finding for `file`, at its start, naming the reason. */
export function fileUnreadableFinding(file: string, reason: string): Finding {
  const at = { line: 0, character: 0 };
  return { rule: FILE_UNREADABLE, severity: 'error', message: `cannot read ${file}: ${reason}`, file, range: { start: at, end: at }, data: { reason } };
}

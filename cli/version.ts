// esbuild inlines just these two fields into the CLI bundles (named JSON imports are tree-shaken).
import { repository, version } from '../package.json';

export const toolVersion: string = version;

/** Where SARIF viewers link the tool name: the repository, without a trailing `.git`. */
export const informationUri: string = repository.url.replace(/\.git$/, '');

/**
 * `kvstorage lint …` (dist/cliLint.js; dist/cli.js starts it when the first argument is `lint`): the lint command
 * alone on the program. Its bundle is less than half of the whole CLI's (no cluster operations, webhook
 * certificates, datamover planner or their libraries), and V8 reads all of a bundle before running any of it:
 * about 25 ms less at every start. What `lint`'s own parsing, help and errors print is the same with or
 * without the other commands on the program (a subcommand's help and messages name only it).
 */
import * as lint from './lint.js';
import { runCli } from './run.js';

void runCli([lint]);

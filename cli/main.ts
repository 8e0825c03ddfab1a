/**
 * `kvstorage` with every command (dist/cliFull.js; dist/cli.js starts it for every command line but `lint …`):
 * runs the command line through the command table (commands.ts), writes the output and exits (run.ts). Nothing
 * else writes to the process streams or exits: commands return `{exitCode, stdout, stderr}`.
 *
 * Adding a command is one module and one entry in `commandModules` (commands.ts). The module exports
 * `register(program, env)` and puts its command on the commander program; options check their values as they
 * are parsed (throw UsageError: exit 2 with the message and a pointer to --help), the action returns a result:
 *
 *   // cli/createPvc.ts
 *   export function register(program: Command, env: CommandEnv): void {
 *     program
 *       .command('create-pvc')
 *       .summary('write a restore PVC for a VolumeSnapshot')
 *       .argument('<snapshot>', 'the VolumeSnapshot to restore')
 *       .addOption(formatOption())        // shared options, cli/options.ts (addReportOptions: -f, --fail-on, --enable, --disable)
 *       .addHelpText('after', '\nExit status: 0 written, 2 usage or I/O error.')
 *       .action(respond(async (snapshot: string, opts: { format?: OutputFormat }) => ({ exitCode: 0, stdout: '…', stderr: '' })));
 *   }
 *
 * A group (`resize start|list|status`) is the same with subcommands: `const resize = program.command('resize')
 * .summary(…)`, then `resize.command('start')…action(respond(…))` for each; `kvstorage resize --help` lists them
 * and `kvstorage help resize start` shows one. Output, exit handling and help layout are set on the whole tree
 * after registration (program.ts): a module configures none of it.
 */
import { commandModules } from './commands.js';
import { runCli } from './run.js';

void runCli(commandModules);

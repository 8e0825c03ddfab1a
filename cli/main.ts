/**
 * `kvstorage` entry point: runs the command line through the command table (commands.ts), writes the output
 * and exits. Nothing else writes to the process streams or exits: commands return `{exitCode, stdout, stderr}`.
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
import type { CommandEnv, CommandResult } from './command.js';
import { dispatch } from './commands.js';
import { toolVersion } from './version.js';

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Resolves once the text is handed to the OS, and with it everything written before (a command may have streamed
 * its output through `env.write`); a closed pipe (EPIPE) counts as written.
 */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

async function main(): Promise<void> {
  let exitCode = 2;
  // `kvstorage lint | head -1`: the reader went away. Nothing left to say to it; leave quietly.
  const onStreamError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') process.exit(exitCode);
    throw err;
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);

  const env: CommandEnv = {
    cwd: process.cwd(),
    stdin: process.stdin,
    color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
    version: toolVersion,
    env: process.env,
    write: (text) => void process.stdout.write(text),
    progress: (line) => void process.stderr.write(`${line}\n`),
    stdout: (text) => void process.stdout.write(text),
    // A question needs someone to answer it: only with a terminal on both ends.
    ...(process.stdin.isTTY && process.stderr.isTTY ? { ask: askOnTerminal } : {}),
  };
  let result: CommandResult;
  try {
    result = await dispatch(process.argv.slice(2), env);
  } catch (err) {
    // A bug, not a user error: say so with the stack, and don't pretend the files were clean.
    result = { exitCode: 2, stdout: '', stderr: `kvstorage: internal error: ${err instanceof Error ? err.stack : String(err)}\n` };
  }
  exitCode = result.exitCode;
  await write(process.stderr, result.stderr);
  await write(process.stdout, result.stdout);
  process.exit(exitCode);
}

void main();

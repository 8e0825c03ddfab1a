/**
 * Runs one `kvstorage` command line over a table of command modules, writes the output and exits. Nothing else
 * writes to the process streams or exits: commands return `{exitCode, stdout, stderr}`. The entry points
 * (main.ts: every command; lintMain.ts: `lint` alone) only pick the table.
 */
import type { CommandEnv, CommandModule, CommandResult } from './command.js';
// Not commands.ts's `dispatch`: importing it would bring every command module into lint's bundle.
import { buildProgram, runProgram } from './program.js';
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

/** `kvstorage <process.argv...>` over `modules`; exits the process when done. */
export async function runCli(modules: readonly CommandModule[]): Promise<void> {
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
    result = await runProgram(buildProgram(modules, env), process.argv.slice(2));
  } catch (err) {
    // A bug, not a user error: say so with the stack, and don't pretend the files were clean.
    result = { exitCode: 2, stdout: '', stderr: `kvstorage: internal error: ${err instanceof Error ? err.stack : String(err)}\n` };
  }
  exitCode = result.exitCode;
  await write(process.stderr, result.stderr);
  await write(process.stdout, result.stdout);
  process.exit(exitCode);
}


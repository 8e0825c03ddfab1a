/**
 * `kvstorage` entry point: picks the command from the table, runs it, writes its output and exits.
 * A new command is one more entry in `commands`.
 */
import type { Command, CommandEnv, CommandResult } from './command.js';
import { usageError } from './command.js';
import { doctorCommand } from './doctor.js';
import { lintCommand } from './lint.js';
import { toolVersion } from './version.js';

const commands: Record<string, Command> = {
  lint: lintCommand,
  doctor: doctorCommand,
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: kvstorage <command> [options]

Commands:
${list}

Options:
  -h, --help     show this help ('kvstorage <command> --help' for a command's options)
  --version      print the version

Exit status: 0 success, 1 problems found, 2 usage or I/O error.
`;
}

export async function dispatch(argv: string[], env: CommandEnv): Promise<CommandResult> {
  const [first, ...rest] = argv;
  if (first === undefined) return { exitCode: 2, stdout: '', stderr: mainHelp() };
  if (first === '-h' || first === '--help') return { exitCode: 0, stdout: mainHelp(), stderr: '' };
  if (first === '--version') return { exitCode: 0, stdout: `${toolVersion}\n`, stderr: '' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { exitCode: 0, stdout: mainHelp(), stderr: '' };
    const command = Object.hasOwn(commands, topic) ? commands[topic] : undefined;
    return command ? command.run(['--help'], env) : usageError('', `unknown command '${topic}'`);
  }
  if (first.startsWith('-')) return usageError('', `unknown option '${first}'`);
  const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!command) return usageError('', `unknown command '${first}' (commands: ${Object.keys(commands).join(', ')})`);
  return command.run(rest, env);
}

/** Resolves once the text is handed to the OS; a closed pipe (EPIPE) counts as written. */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
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

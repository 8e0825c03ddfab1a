/**
 * Commander, tamed for kvstorage: it never writes to the process streams and never exits. `runProgram` parses
 * one command line with a program the command modules registered on, and turns whatever happened (an
 * action's result, help, the version, a usage error) into a CommandResult. Usage errors read
 * `kvstorage <command>: <message>` plus a pointer to the command's help, exit 2, whoever found them.
 */
import { Command, CommanderError } from 'commander';
import { commandPath, outcomeOf, usageError, UsageError, type CommandEnv, type CommandModule, type CommandResult } from './command.js';

/** Help is wrapped to this width whatever the terminal, so it reads the same in tests, pipes and TTYs. */
const helpWidth = 100;

interface Capture {
  stdout: string;
  stderr: string;
  /** The command whose arguments are being parsed (or whose action runs). */
  current: Command;
}

/** A commander exit, with the command it happened in. */
class Exit extends Error {
  constructor(
    readonly command: Command,
    readonly error: CommanderError,
  ) {
    super(error.message);
  }
}

/**
 * Settings every command of the tree gets. Applied after the modules registered, to the whole tree: commander
 * copies settings to a subcommand only when it is created, so a module's groups and sub-subcommands need
 * nothing of their own.
 */
function configure(cmd: Command, capture: Capture): void {
  cmd.exitOverride((err) => {
    throw new Exit(cmd, err);
  });
  cmd.configureOutput({
    writeOut: (s) => void (capture.stdout += s),
    writeErr: (s) => void (capture.stderr += s),
    // The message is worded by `fromExit`, with the command's name and the pointer to its help.
    outputError: () => undefined,
    getOutHelpWidth: () => helpWidth,
    getErrHelpWidth: () => helpWidth,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  });
  cmd.showSuggestionAfterError(false);
  // The command list shows names only ("lint", not "lint [options] [paths...]"): the usage line is one --help away.
  cmd.configureHelp({ subcommandTerm: (c) => c.name() });
  // `kvstorage help <command...>` (help.ts) covers groups too.
  cmd.helpCommand(false);
  if (cmd.parent) cmd.helpOption('-h, --help', 'show this help');
  cmd.hook('preSubcommand', (_parent, sub) => {
    capture.current = sub;
  });
  for (const sub of cmd.commands) configure(sub, capture);
}

/** The root of the command tree with every module registered (in order), plus `help`. */
export function buildProgram(modules: readonly CommandModule[], env: CommandEnv): Command {
  const program = new Command('kvstorage')
    .usage('<command> [options]')
    .description('KubeVirt/CDI storage checks for manifests (lint) and clusters (doctor).')
    .version(env.version, '--version', 'print the version')
    .helpOption('-h, --help', "show this help ('kvstorage <command> --help' for a command's options)")
    .addHelpText('after', '\nExit status: 0 success, 1 problems found, 2 usage or I/O error.');
  for (const m of modules) m.register(program, env);
  registerHelp(program);
  return program;
}

/** `kvstorage help [command...]`: the help of a command or of a group's subcommand. */
function registerHelp(program: Command): void {
  program
    .command('help')
    .summary("show a command's help (like '<command> --help')")
    .argument('[command...]', "a command, or a group and its subcommand: 'help lint'")
    .action((words: string[]) => {
      let target = program;
      for (const word of words) {
        const sub = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub || sub.name() === 'help') throw new UsageError(unknownCommand(target, word), target);
        target = sub;
      }
      target.help();
    });
}

function unknownCommand(parent: Command, word: string): string {
  const names = parent.commands.map((c) => c.name()).filter((n) => n !== 'help');
  return `unknown command '${word}' (commands: ${names.join(', ')})`;
}

/** What a commander exit means for the user: output to pass on, or a usage error to word. */
function fromExit(e: Exit): { kind: 'output'; exitCode: 0 | 2 } | { kind: 'usage'; command: Command; message: string } {
  const { command, error } = e;
  switch (error.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
      return { kind: 'output', exitCode: 0 };
    case 'commander.help':
      // `help()`: asked for (exit 0), or a group run without its subcommand (help on stderr, exit 1 → 2).
      return { kind: 'output', exitCode: error.exitCode === 0 ? 0 : 2 };
    case 'commander.unknownCommand':
      return { kind: 'usage', command, message: unknownCommand(command, command.args[0] ?? '') };
    case 'commander.optionMissingArgument': {
      const option = command.options.find((o) => error.message.includes(`'${o.flags}'`));
      return { kind: 'usage', command, message: `option '${option?.long ?? option?.short ?? '?'}' needs a value` };
    }
    default:
      return { kind: 'usage', command, message: error.message.replace(/^error: /, '') };
  }
}

/**
 * Runs one command line (without the program name) on `program`. Throws only on bugs: a module's action
 * that throws something other than a UsageError, or returns no result.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<CommandResult> {
  const capture: Capture = { stdout: '', stderr: '', current: program };
  configure(program, capture);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof UsageError) return usageError(commandPath(e.at ?? capture.current), e.message);
    if (!(e instanceof Exit)) throw e;
    const what = fromExit(e);
    if (what.kind === 'usage') return usageError(commandPath(what.command), what.message);
    return { exitCode: what.exitCode, stdout: capture.stdout, stderr: capture.stderr };
  }
  const result = outcomeOf(program);
  if (!result) throw new Error(`kvstorage ${commandPath(capture.current)}: its action did not hand a result to respond()`);
  return { ...result, stdout: capture.stdout + result.stdout, stderr: capture.stderr + result.stderr };
}

/** One command's options, parsed but not acted on (for tests of a module's option handling). */
export type Parsed<T> = { kind: 'options'; options: T } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

/**
 * Parses `argv` as the arguments of the command `define` adds to a bare program, and hands what its action
 * would get to `toOptions` instead of running it. Usage errors come back as messages, help as its text.
 */
export function parseOnly<T>(define: (program: Command) => Command, toOptions: (...actionArgs: never[]) => T, argv: readonly string[]): Parsed<T> {
  const program = new Command('kvstorage');
  const cmd = define(program);
  let options: { value: T } | undefined;
  cmd.action((...args: unknown[]) => {
    options = { value: toOptions(...(args as never[])) };
  });
  const capture: Capture = { stdout: '', stderr: '', current: program };
  configure(program, capture);
  try {
    program.parse([cmd.name(), ...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', message: e.message };
    if (!(e instanceof Exit)) throw e;
    const what = fromExit(e);
    return what.kind === 'usage' ? { kind: 'error', message: what.message } : { kind: 'help', text: capture.stdout };
  }
  if (!options) throw new Error(`kvstorage ${cmd.name()}: the action did not run`);
  return { kind: 'options', options: options.value };
}

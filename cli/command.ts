/**
 * What every `kvstorage` command shares: the environment it runs in, what it hands back, and how a command
 * module puts itself on the program (commander). Commands return their output as strings; main.ts alone writes
 * to the process streams and exits.
 */
import type { Command } from 'commander';

export interface CommandEnv {
  /** Directory relative paths are resolved against and reported relative to. */
  cwd: string;
  /** Read only when the user names `-`. */
  stdin: NodeJS.ReadableStream;
  /** Whether text output may use ANSI colour (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** The tool's version, for SARIF. */
  version: string;
  /** Environment for kubeconfig loading (KUBECONFIG, HOME); process.env when absent. */
  env?: Record<string, string | undefined>;
  /**
   * Writes to stdout at once, for a command whose output is long and produced bit by bit (`lint --format json`);
   * what it writes comes before its result's `stdout`. Absent: everything goes through the result.
   */
  write?: (text: string) => void;
  /** A line for the user while a long command runs (stderr at once); absent: progress is not shown. */
  progress?: (line: string) => void;
  /**
   * Writes to standard output at once, for a command that follows something live (`resize watch`): its lines
   * must show as they happen. Absent (tests): such a command returns them in `stdout` at the end.
   */
  stdout?: (text: string) => void;
  /** Asks a yes/no question on the terminal; absent when there is none to ask on (no TTY). */
  ask?: (question: string) => Promise<boolean>;
}

export interface CommandResult {
  /** 0: clean, 1: findings at or above `--fail-on` (or a failed check), 2: usage or I/O error. */
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/**
 * A command module: `register` adds its command (or a group with subcommands) to the program, with
 * `program.command(name)`, options and an action wrapped in `respond`. See cli/main.ts for an example.
 */
export interface CommandModule {
  register(program: Command, env: CommandEnv): void;
}

/**
 * A mistake on the command line (a bad value, options that exclude each other). Throw it from an option's
 * argParser or from an action: the user sees `kvstorage <command>: <message>` and a pointer to the help, exit 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** `at`: the command the message is about, when not the one being parsed (e.g. `help <unknown>`). */
  constructor(
    message: string,
    readonly at?: Command,
  ) {
    super(message);
  }
}

/** The outcome of the action that ran, by the program it ran in (read by dispatch). */
const outcomes = new WeakMap<Command, CommandResult>();

/**
 * Wraps a command's action: commander calls it with the command's arguments, its options (`opts()`) and the
 * command itself; the CommandResult it returns is what `kvstorage` prints and exits with.
 */
export function respond<A extends unknown[]>(run: (...args: A) => Promise<CommandResult> | CommandResult): (this: Command, ...args: A) => Promise<void> {
  return async function (this: Command, ...args: A): Promise<void> {
    const result = await run(...args);
    let root: Command = this;
    while (root.parent) root = root.parent;
    outcomes.set(root, result);
  };
}

/** The result the program's action handed to `respond`, if one ran. */
export function outcomeOf(program: Command): CommandResult | undefined {
  return outcomes.get(program);
}

/** `lint`, `resize start`: a command's words after `kvstorage` ('' for the program itself). */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A usage error: the message plus a pointer to the command's help, exit 2. */
export function usageError(command: string, message: string): CommandResult {
  const help = command ? `kvstorage ${command} --help` : 'kvstorage --help';
  return { exitCode: 2, stdout: '', stderr: `kvstorage${command ? ` ${command}` : ''}: ${message}\nRun '${help}' for usage.\n` };
}

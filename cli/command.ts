/**
 * What every `kvstorage` command shares: the environment it runs in and what it hands back.
 * Commands return their output as strings; main.ts alone writes to the process streams and exits.
 */

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
}

export interface CommandResult {
  /** 0: clean, 1: error-severity findings (or a failed check), 2: usage or I/O error. */
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface Command {
  /** One line for the command list in `kvstorage --help`. */
  summary: string;
  run(argv: string[], env: CommandEnv): Promise<CommandResult>;
}

/** A usage error: the message plus a pointer to the command's help, exit 2. */
export function usageError(command: string, message: string): CommandResult {
  const help = command ? `kvstorage ${command} --help` : 'kvstorage --help';
  return { exitCode: 2, stdout: '', stderr: `kvstorage${command ? ` ${command}` : ''}: ${message}\nRun '${help}' for usage.\n` };
}

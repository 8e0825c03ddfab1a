/**
 * The command table: every top-level command module, in the order `kvstorage --help` lists them, and
 * `dispatch`, which runs one command line over them in-process (what main.ts and the tests call).
 */
import type { CommandEnv, CommandModule, CommandResult } from './command.js';
import * as createPvc from './createPvc.js';
import * as datamover from './datamover.js';
import * as doctor from './doctor.js';
import * as gcpImages from './gcpImages.js';
import * as lint from './lint.js';
import * as ops from './operations.js';
import * as resize from './resize.js';
import * as rules from './rules.js';
import { buildProgram, runProgram } from './program.js';

export const commandModules: readonly CommandModule[] = [lint, doctor, datamover, gcpImages, resize, createPvc, ops, rules];

/** Runs `kvstorage <argv...>`; returns what to print and the exit code. Throws only on bugs. */
export function dispatch(argv: readonly string[], env: CommandEnv, modules: readonly CommandModule[] = commandModules): Promise<CommandResult> {
  return runProgram(buildProgram(modules, env), argv);
}

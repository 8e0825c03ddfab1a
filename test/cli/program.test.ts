/**
 * The command tree in-process (cli/commands.ts `dispatch`, cli/program.ts): help, version, usage errors, and a
 * command module the way the coming ones (a `resize start|list` group) will be written. Commander must never
 * write to the process streams or exit: everything comes back as a CommandResult.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { respond, UsageError, type CommandEnv, type CommandModule } from '../../cli/command.js';
import { dispatch } from '../../cli/commands.js';
import { formatOption, valueOf, type OutputFormat } from '../../cli/options.js';

const env: CommandEnv = { cwd: process.cwd(), stdin: Readable.from([]), color: false, version: '9.8.7' };

/** A group with two subcommands, as a module registers it. */
const resize: CommandModule = {
  register(program: Command, moduleEnv: CommandEnv): void {
    const group = program.command('resize').summary('resize volumes').description('Starts and lists volume resizes.');
    group
      .command('start')
      .summary('start a resize')
      .argument('<name>', 'the PVC')
      .option(
        '--to <size>',
        'the new size',
        valueOf('--to', (v) => {
          if (!/^\d+Gi$/.test(v)) throw new UsageError(`invalid --to '${v}' (expected e.g. 20Gi)`);
          return v;
        }),
      )
      .addOption(formatOption())
      .addHelpText('after', '\nExit status: 0 started, 2 usage error.')
      .action(
        respond((name: string, opts: { to?: string; format?: OutputFormat }) => {
          if (opts.to === undefined) throw new UsageError('--to is required');
          return { exitCode: 0, stdout: `${name} → ${opts.to} (${opts.format ?? 'text'}, ${moduleEnv.version})\n`, stderr: '' };
        }),
      );
    group
      .command('list')
      .summary('list resizes')
      .action(respond(async () => ({ exitCode: 1, stdout: '', stderr: 'none\n' })));
  },
};

const run = (...argv: string[]) => dispatch(argv, env, [resize]);

describe('dispatch: the program', () => {
  it('--help lists the commands by name with their summaries, on stdout, exit 0', async () => {
    const r = await dispatch(['--help'], env);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: kvstorage <command> \[options\]\n/);
    assert.match(r.stdout, /\n {2}lint {8}check manifests for KubeVirt\/CDI storage sizing mistakes\n/);
    assert.match(r.stdout, /\n {2}doctor {6}scan a cluster/);
    assert.match(r.stdout, /\n {2}datamover {3}restores from OADP's kubevirt datamover/);
    assert.match(r.stdout, /\n {2}help {8}show a command's help/);
    assert.match(r.stdout, /\nExit status: 0 success, 1 problems found, 2 usage or I\/O error\.\n$/);
  });

  it('no command: the help on stderr, exit 2; --version on stdout', async () => {
    const none = await dispatch([], env);
    assert.equal(none.exitCode, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^Usage: kvstorage <command>/);
    assert.deepEqual(await dispatch(['--version'], env), { exitCode: 0, stdout: '9.8.7\n', stderr: '' });
  });

  it('unknown commands and options are usage errors naming what is known', async () => {
    assert.deepEqual(await dispatch(['lnt'], env), {
      exitCode: 2,
      stdout: '',
      stderr: "kvstorage: unknown command 'lnt' (commands: lint, doctor, datamover, gcp-images, resize, create-pvc, plan, apply, undo, status, rules)\nRun 'kvstorage --help' for usage.\n",
    });
    assert.deepEqual(await dispatch(['--bogus'], env), { exitCode: 2, stdout: '', stderr: "kvstorage: unknown option '--bogus'\nRun 'kvstorage --help' for usage.\n" });
    assert.deepEqual(await dispatch(['lint', '--bogus'], env), {
      exitCode: 2,
      stdout: '',
      stderr: "kvstorage lint: unknown option '--bogus'\nRun 'kvstorage lint --help' for usage.\n",
    });
  });

  it("help <command> is the command's --help; help <unknown> is a usage error", async () => {
    const viaHelp = await dispatch(['help', 'lint'], env);
    assert.equal(viaHelp.exitCode, 0);
    assert.deepEqual(viaHelp, await dispatch(['lint', '--help'], env));
    assert.match(viaHelp.stdout, /^Usage: kvstorage lint \[options\] \[paths\.\.\.\]\n/);
    assert.match(viaHelp.stdout, /\nExit status: /);
    const unknown = await dispatch(['help', 'nope'], env);
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr, "kvstorage: unknown command 'nope' (commands: lint, doctor, datamover, gcp-images, resize, create-pvc, plan, apply, undo, status, rules)\nRun 'kvstorage --help' for usage.\n");
  });

  it('writes nothing to the process streams and never sets an exit code', async () => {
    const written: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => (written.push(s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (written.push(s), true)) as typeof process.stderr.write;
    try {
      for (const argv of [[], ['--help'], ['--version'], ['lnt'], ['lint', '-f'], ['doctor', 'x'], ['help', 'doctor']]) await dispatch(argv, env);
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    assert.deepEqual(written, []);
    assert.equal(process.exitCode, undefined);
  });
});

describe('dispatch: a module with a command group', () => {
  it("runs a subcommand's action with its arguments and options; the result is what comes back", async () => {
    assert.deepEqual(await run('resize', 'start', 'disk', '--to', '20Gi', '-f', 'json'), { exitCode: 0, stdout: 'disk → 20Gi (json, 9.8.7)\n', stderr: '' });
    assert.deepEqual(await run('resize', 'list'), { exitCode: 1, stdout: '', stderr: 'none\n' });
  });

  it('usage errors name the subcommand, whether commander, an option parser or the action found them', async () => {
    const usage = (message: string) => ({ exitCode: 2, stdout: '', stderr: `kvstorage resize start: ${message}\nRun 'kvstorage resize start --help' for usage.\n` });
    assert.deepEqual(await run('resize', 'start', 'disk', '--to', '20G'), usage("invalid --to '20G' (expected e.g. 20Gi)"));
    assert.deepEqual(await run('resize', 'start', 'disk'), usage('--to is required'));
    assert.deepEqual(await run('resize', 'start'), usage("missing required argument 'name'"));
    assert.deepEqual(await run('resize', 'start', 'disk', '--to'), usage("option '--to' needs a value"));
    assert.deepEqual(await run('resize', 'start', 'disk', '--to', '--format', 'json'), usage("option '--to' needs a value"));
    assert.deepEqual(await run('resize', 'start', 'disk', '--bogus'), usage("unknown option '--bogus'"));
    assert.deepEqual(await run('resize', 'start', 'a', 'b', '--to', '1Gi'), usage("too many arguments for 'start'. Expected 1 argument but got 2."));
    const group = await run('resize', 'stop');
    assert.equal(group.stderr, "kvstorage resize: unknown command 'stop' (commands: start, list)\nRun 'kvstorage resize --help' for usage.\n");
  });

  it('help: the group lists its subcommands; help <group> <sub> shows one; a group alone shows its help, exit 2', async () => {
    const groupHelp = await run('resize', '--help');
    assert.equal(groupHelp.exitCode, 0);
    assert.match(groupHelp.stdout, /^Usage: kvstorage resize \[options\] \[command\]\n\nStarts and lists volume resizes\.\n/);
    assert.match(groupHelp.stdout, /\n {2}start +start a resize\n {2}list +list resizes\n/);
    const sub = await run('help', 'resize', 'start');
    assert.equal(sub.exitCode, 0);
    assert.deepEqual(sub, await run('resize', 'start', '-h'));
    assert.match(sub.stdout, /^Usage: kvstorage resize start \[options\] <name>\n/);
    assert.match(sub.stdout, /\n {2}-f, --format <format> +output format: /);
    assert.match(sub.stdout, /\nExit status: 0 started, 2 usage error\.\n$/);
    const bare = await run('resize');
    assert.equal(bare.exitCode, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^Usage: kvstorage resize /);
    assert.match((await run('help', 'resize', 'stop')).stderr, /^kvstorage resize: unknown command 'stop' \(commands: start, list\)\n/);
  });

  it('a bug in an action is thrown, not reported as a usage error', async () => {
    const broken: CommandModule = {
      register(program) {
        program.command('boom').action(respond(() => {
          throw new TypeError('oops');
        }));
      },
    };
    await assert.rejects(dispatch(['boom'], env, [broken]), /oops/);
    const silent: CommandModule = { register: (program) => void program.command('quiet').action(() => undefined) };
    await assert.rejects(dispatch(['quiet'], env, [silent]), /did not hand a result to respond\(\)/);
  });
});

/**
 * The V8 flags dist/cli.js sets (cli/v8Flags.ts): ours unless the user named the same flag, in any spelling V8
 * reads; and the findings are the same whatever V8 inlines.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { v8FlagsToSet } from '../../cli/v8Flags.js';
import { cliPath, ensureBuilt, repoRoot } from './runCli.js';

describe('kvstorage: the V8 flags it starts with', () => {
  const ours = ['--max-inlined-bytecode-size=50'];
  const cases: Array<[string, string[], string | undefined, string[]]> = [
    ['nothing given', [], undefined, ours],
    ['empty NODE_OPTIONS', [], '', ours],
    ['other flags', ['--expose-gc', '--max-old-space-size=4096'], '--enable-source-maps  --trace-warnings', ours],
    ['a longer flag of the same stem', ['--max-inlined-bytecode-size-cumulative=100'], undefined, ours],
    ['given on the command line', ['--max-inlined-bytecode-size=460'], undefined, []],
    ['given with underscores', ['--max_inlined_bytecode_size=100'], undefined, []],
    ['given without a value (the value follows)', ['--max-inlined-bytecode-size', '100'], undefined, []],
    ['given in NODE_OPTIONS', [], '--inspect  --max-inlined-bytecode-size=200', []],
  ];
  for (const [name, execArgv, nodeOptions, expected] of cases) {
    it(name, () => assert.deepEqual(v8FlagsToSet(execArgv, nodeOptions), expected));
  }

  it('lint prints the same with V8 inlining as it does by default', () => {
    ensureBuilt();
    const run = (nodeArgs: string[], jobs: string) =>
      spawnSync(process.execPath, [...nodeArgs, cliPath, 'lint', '--format', 'json', '--jobs', jobs, 'examples', 'test/cli/fixtures'], { cwd: repoRoot, encoding: 'utf8' });
    for (const jobs of ['1', '2']) {
      const ours = run([], jobs);
      const v8Default = run(['--max-inlined-bytecode-size=460'], jobs);
      assert.equal(ours.status, 1, ours.stderr);
      assert.ok(ours.stdout.length > 1000);
      assert.deepEqual({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr }, { status: v8Default.status, stdout: v8Default.stdout, stderr: v8Default.stderr });
    }
  });
});

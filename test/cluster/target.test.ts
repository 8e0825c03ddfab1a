/** Which targets the two-target tests run on, from the environment (test/cluster/target.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targets } from './target.js';

const kinds = (env: NodeJS.ProcessEnv): string[] => targets(env).map((t) => t.kind);

test('targets: the emulator by default; the API server and a cluster when enabled; KVS_TEST_TARGETS keeps some', () => {
  assert.deepEqual(kinds({}), ['emulator']);
  assert.deepEqual(kinds({ KVS_TEST_APISERVER: '1' }), ['emulator', 'apiserver']);
  assert.deepEqual(kinds({ KVS_TEST_APISERVER: '0' }), ['emulator'], 'only 1 enables it');
  assert.deepEqual(kinds({ KVS_TEST_KUBECONFIG: '/k', KVS_TEST_APISERVER: '1' }), ['emulator', 'apiserver', 'cluster']);
  assert.deepEqual(kinds({ KVS_TEST_APISERVER: '1', KVS_TEST_TARGETS: 'apiserver' }), ['apiserver']);
  assert.deepEqual(kinds({ KVS_TEST_TARGETS: ' apiserver , emulator' }), ['emulator'], 'a kind not enabled stays off');
});

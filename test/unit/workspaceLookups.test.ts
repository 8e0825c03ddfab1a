/**
 * core/workspaceLookups.ts keeps a document's fact lookups as one flat array (method, value, arguments), each call
 * once, and works out their dependency keys when asked. Checked against a plain record of every call (the
 * representation it replaced): the same answers, the same keys, and `lookupsHold` failing exactly when an
 * answer recorded changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Facts } from '../../core/facts.js';
import { allClassesKey, factKey, listKey } from '../../core/workspaceIndex.js';
import { lookupCount, lookupKeys, lookupsHold, recordingFacts, type Lookups } from '../../core/workspaceLookups.js';
import { rng } from './yamlFuzz.js';

type Method = keyof Facts;

/** Each method's arguments and the dependency key the old record carried (workspaceLookups.ts before the flat arrays). */
const reference: Record<Method, [number, (a: string, b: string, c: string) => string]> = {
  volumeSnapshot: [2, (ns, n) => factKey('VolumeSnapshot', `${ns}/${n}`)],
  storageClass: [1, (n) => factKey('StorageClass', n)],
  storageClasses: [0, () => allClassesKey],
  storageProfile: [1, (n) => factKey('StorageProfile', n)],
  cdiConfig: [0, () => factKey('CDIConfig', '')],
  cdiVersion: [0, () => factKey('CDI', '')],
  kubevirtVersion: [0, () => factKey('KubeVirt', '')],
  virtualMachineSnapshot: [2, (ns, n) => factKey('VirtualMachineSnapshot', `${ns}/${n}`)],
  virtualMachineSnapshotContent: [2, (ns, n) => factKey('VirtualMachineSnapshotContent', `${ns}/${n}`)],
  dataSource: [2, (ns, n) => factKey('DataSource', `${ns}/${n}`)],
  volumeSnapshotClass: [1, (n) => factKey('VolumeSnapshotClass', n)],
  volumeSnapshotClasses: [0, () => factKey('VolumeSnapshotClass', '*')],
  volumeSnapshotContent: [1, (n) => factKey('VolumeSnapshotContent', n)],
  volumeSnapshots: [1, (ns) => listKey('VolumeSnapshot', ns)],
  pvcWebhook: [0, () => 'cluster\0pvcWebhook'],
  liveRender: [1, (k) => `cluster\0liveRender/${k}`],
  statefulSet: [2, (ns, n) => factKey('StatefulSet', `${ns}/${n}`)],
  statefulSets: [1, (ns) => listKey('StatefulSet', ns)],
  podDisruptionBudgets: [1, (ns) => listKey('PodDisruptionBudget', ns)],
  persistentVolumeClaim: [2, (ns, n) => factKey('PersistentVolumeClaim', `${ns}/${n}`)],
  persistentVolume: [1, (n) => factKey('PersistentVolume', n)],
  volumeUsage: [3, (ns, pvc, pod) => `cluster\0volumeUsage/${ns}/${pvc}/${pod}`],
  serves: [1, (k) => `cluster\0serves/${k}`],
  connectedContext: [0, () => 'cluster\0connectedContext'],
  claimObject: [3, (k, ns, n) => factKey(k as 'DataVolume', `${ns}/${n}`)],
  claimObjects: [2, (k, ns) => listKey(k as 'DataVolume', ns)],
};
const methods = Object.keys(reference) as Method[];
const lists = new Set<Method>(['storageClasses', 'volumeSnapshotClasses', 'volumeSnapshots', 'statefulSets', 'podDisruptionBudgets', 'claimObjects']);

/**
 * Facts answering every call from `answers` (by method and arguments; an object per call, absent ones undefined),
 * lists as a new array each time, as the workspace's do.
 */
function factsFrom(answers: Map<string, unknown>): Required<Facts> {
  const out: Record<string, unknown> = {};
  for (const m of methods) {
    out[m] = (...args: string[]) => {
      const a = answers.get(JSON.stringify([m, ...args]));
      return lists.has(m) ? [...((a as unknown[] | undefined) ?? [])] : a;
    };
  }
  return out as unknown as Required<Facts>;
}

const words = ['default', 'ns1', 'a', 'b', 'DataVolume', 'PersistentVolumeClaim'];

test('flat lookups: the same answers, keys and verdicts as a record of every call (random calls)', () => {
  const rand = rng(14);
  for (let round = 0; round < 300; round++) {
    const answers = new Map<string, unknown>();
    const calls: [Method, string[]][] = [];
    for (let n = Math.floor(rand() * 12); n > 0; n--) {
      const m = methods[Math.floor(rand() * methods.length)]!;
      const args = Array.from({ length: reference[m][0] }, () => words[Math.floor(rand() * 3)]!);
      calls.push([m, args]);
      const id = JSON.stringify([m, ...args]);
      if (rand() < 0.8 && !answers.has(id)) answers.set(id, lists.has(m) ? [{ n: id }, { n: `${id}'` }] : { id });
    }
    const facts = factsFrom(answers);
    const lookups: Lookups = [];
    const recording = recordingFacts(facts, lookups);
    const expectedKeys = new Set<string>();
    const distinct = new Set<string>();
    for (const [m, args] of calls) {
      const got = (recording[m] as (...a: string[]) => unknown)(...args);
      assert.deepEqual(got, (facts[m] as (...a: string[]) => unknown)(...args), `${m}(${args.join(', ')})`);
      expectedKeys.add(reference[m][1](args[0]!, args[1]!, args[2]!));
      distinct.add(JSON.stringify([m, ...args]));
    }
    const keys = new Set<string>();
    lookupKeys(lookups, keys);
    assert.deepEqual([...keys].sort(), [...expectedKeys].sort());
    assert.equal(lookupCount(lookups), distinct.size, 'each call recorded once');
    // The same facts (lists as new arrays of the same objects) hold; changing any one answer read does not.
    assert.ok(lookupsHold(lookups, factsFrom(answers)));
    for (const id of distinct) {
      const changed = new Map(answers);
      const [m] = JSON.parse(id) as [Method];
      changed.set(id, lists.has(m) ? [...((answers.get(id) as unknown[] | undefined) ?? []), { extra: true }] : { other: id });
      assert.equal(lookupsHold(lookups, factsFrom(changed)), false, `a new answer for ${id}`);
    }
    // An answer nobody asked for changes nothing.
    const unrelated = new Map(answers).set(JSON.stringify(['storageClass', 'never-asked']), { id: 'x' });
    assert.ok(lookupsHold(lookups, factsFrom(unrelated)));
  }
});

// core/ops: which fields a write touches, what undo restores, and when undo must refuse (a field changed since,
// a namesake object, a later run), decided from the journal and the live objects alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { covers, fromPointer, leafValues, patchPaths, pointer, priorValues } from '../../core/ops/fields.js';
import { decideUndo, entryFor, refKey, type Journal, type JournalEntry } from '../../core/ops/journal.js';
import { previewText, redact } from '../../core/ops/preview.js';
import type { Plan } from '../../core/ops/types.js';

const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'cm' };

function journal(entries: JournalEntry[], o: Partial<Journal> = {}): Journal {
  return { format: 1, operation: 'op', runId: 'op-1', title: 'Op', target: { context: 'c', server: 's' }, startedAt: '2026-12-01T00:00:00Z', state: 'applied', entries, log: [], ...o };
}

describe('fields', () => {
  test('leaves: maps descend, lists and scalars are leaves, identity fields are left out', () => {
    assert.deepEqual(leafValues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', labels: { a: '1' } }, data: { k: 'v' }, list: [1, 2] }), [
      { path: ['metadata', 'labels', 'a'], value: '1' },
      { path: ['data', 'k'], value: 'v' },
      { path: ['list'], value: [1, 2] },
    ]);
  });

  test('prior values: the value, or absent at the highest missing ancestor; an ancestor covers its descendants', () => {
    const live = { data: { k: 'old' }, metadata: { name: 'x' } };
    assert.deepEqual(priorValues(live, [['data', 'k'], ['data', 'new'], ['spec', 'a', 'b'], ['spec', 'a', 'c']]), [
      { path: ['data', 'k'], value: 'old' },
      { path: ['data', 'new'], absent: true },
      { path: ['spec'], absent: true },
    ]);
  });

  test('covers: the API server may add map keys (defaults), never list items; own properties only', () => {
    assert.equal(covers({ a: 1, b: 2 }, { a: 1 }), true);
    assert.equal(covers([{ name: 'c', image: 'i', terminationMessagePath: '/dev/x' }], [{ name: 'c', image: 'i' }]), true);
    assert.equal(covers([{ name: 'c' }, { name: 'd' }], [{ name: 'c' }]), false);
    assert.equal(covers({ a: 2 }, { a: 1 }), false);
    assert.equal(covers({}, { constructor: 'x' }), false, 'a key named constructor is data');
    assert.equal(covers('8443', 8443), true, 'an int-or-string port written as a number');
  });

  test('patch paths: a list index stands for its list; a merge-patch null is a removal', () => {
    assert.deepEqual(patchPaths('json', [{ op: 'test', path: '/a', value: 1 }, { op: 'replace', path: '/spec/x~1y', value: 2 }, { op: 'add', path: '/spec/list/-', value: 3 }, { op: 'remove', path: '/metadata/labels/z' }]), {
      paths: [['spec', 'x/y'], ['spec', 'list'], ['metadata', 'labels', 'z']],
      set: [{ path: ['spec', 'x/y'], value: 2 }, { path: ['metadata', 'labels', 'z'], absent: true }],
    });
    assert.deepEqual(patchPaths('merge', { spec: { a: 1, b: null } }).set, [{ path: ['spec', 'a'], value: 1 }, { path: ['spec', 'b'], absent: true }]);
    assert.equal(pointer(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
    assert.deepEqual(fromPointer('/a~1b/c~0d/0'), ['a/b', 'c~d', 0]);
  });
});

describe('undo decisions', () => {
  const changed = entryFor({ action: 'patch', target: ref, patchType: 'merge', patch: { data: { x: 'new', y: 'added' } } }, { metadata: { name: 'cm' }, data: { x: 'old' } });
  const done = (e: JournalEntry, extra: Partial<JournalEntry> = {}): JournalEntry => ({ ...e, state: 'done', ...extra });

  test('a changed object: restore exactly the recorded fields, guarded by the resourceVersion read', () => {
    const live = { metadata: { name: 'cm', resourceVersion: '7' }, data: { x: 'new', y: 'added', other: 'kept' } };
    const d = decideUndo(journal([done(changed)]), () => live);
    assert.deepEqual(d.conflicts, []);
    assert.deepEqual(d.steps, [
      { kind: 'restore', ref, patch: [{ op: 'replace', path: '/data/x', value: 'old' }, { op: 'remove', path: '/data/y' }], resourceVersion: '7', why: 'ConfigMap ns/cm: restore 2 fields this run changed' },
    ]);
  });

  test('a field someone changed since is a conflict that names it; force overwrites', () => {
    const live = { metadata: { name: 'cm' }, data: { x: 'theirs', y: 'added' } };
    const d = decideUndo(journal([done(changed)]), () => live);
    assert.deepEqual(d.steps, []);
    assert.deepEqual(d.conflicts, [{ ref, message: 'ConfigMap ns/cm was changed since this run (data.x)' }]);
    assert.equal(decideUndo(journal([done(changed)]), () => live, [], true).steps[0]!.kind, 'restore');
  });

  test('an object already as it was, or a write that never happened, is skipped', () => {
    const d = decideUndo(journal([done(changed)]), () => ({ metadata: { name: 'cm' }, data: { x: 'old' } }));
    assert.deepEqual(d.steps.map((s) => [s.kind, s.why]), [['skip', 'ConfigMap ns/cm: already as it was']]);
    const pending = decideUndo(journal([changed]), () => undefined);
    assert.deepEqual(pending.steps.map((s) => s.why), ['ConfigMap ns/cm: never applied by this run']);
  });

  test('a created object is deleted by uid; a namesake made since is a conflict; gone is fine', () => {
    const created = done(entryFor({ action: 'apply', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { a: '1' } } }, undefined), { uid: 'u1' });
    assert.deepEqual(decideUndo(journal([created]), () => ({ metadata: { name: 'cm', uid: 'u1' }, data: { a: '1' } })).steps, [{ kind: 'delete', ref, uid: 'u1', why: 'ConfigMap ns/cm: created by this run' }]);
    assert.match(decideUndo(journal([created]), () => ({ metadata: { name: 'cm', uid: 'u2' }, data: { a: '1' } })).conflicts[0]!.message, /not the object this run created/);
    assert.deepEqual(decideUndo(journal([created]), () => undefined).steps.map((s) => s.kind), ['skip']);
  });

  test('deleted objects: recreated as they were, or skipped with the reason they cannot be', () => {
    const recreate: JournalEntry = { ref, change: 'deleted', state: 'done', set: [], priorObject: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { a: '1' } } };
    assert.equal(decideUndo(journal([recreate]), () => undefined).steps[0]!.kind, 'recreate');
    const gone: JournalEntry = { ref, change: 'deleted', state: 'done', set: [], irreversible: 'golden images are re-imported' };
    assert.deepEqual(decideUndo(journal([gone]), () => undefined).steps.map((s) => s.why), ['ConfigMap ns/cm: deleted by this run and not brought back (golden images are re-imported)']);
  });

  test('an object a later run touched belongs to that run first', () => {
    const later = journal([done(changed)], { runId: 'op-2', title: 'Op again', startedAt: '2026-12-02T00:00:00Z' });
    const d = decideUndo(journal([done(changed)]), () => ({ metadata: { name: 'cm' }, data: { x: 'new', y: 'added' } }), [later]);
    assert.match(d.conflicts[0]!.message, /changed again by run op-2 .* undo that run first/);
    assert.equal(refKey(ref), 'v1|ConfigMap|ns|cm');
  });
});

describe('preview', () => {
  const plan: Plan = {
    operation: 'op',
    title: 'Deploy it',
    target: { context: 'prod', server: 'https://prod', namespace: 'ns' },
    phases: [
      {
        id: 'one',
        title: 'One',
        why: 'Because.',
        writes: [
          { action: 'apply', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { 'tls.key': 'S0VZ', 'tls.crt': 'Q0VSVA==' } } },
          { action: 'deleteSelected', apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', namespace: 'os-images', labelSelector: 'cdi.kubevirt.io/dataImportCron', undo: { kind: 'irreversible', reason: 'CDI imports them again' } },
        ],
        waits: [{ kind: 'rollout', target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'd' }, timeoutSeconds: 300 }],
      },
    ],
    checks: [{ kind: 'skipped', reason: 'no snapshot' }],
    notes: ['A note.'],
    advice: 'Not needed here.',
    secretKeySuffixes: ['.key'],
  };

  test('the plan as YAML: target, advice, reasons and waits as comments, keys redacted, deletes by selector until listed', () => {
    const text = previewText(plan);
    assert.match(text, /^# Deploy it\n# Target: context prod \(https:\/\/prod\), namespace ns\n# ADVICE: Not needed here\.\n# A note\.\n# Not dry-run yet\.\n/);
    assert.match(text, /# Phase 1\/1 "One": Because\.\n# 1\. apply \(server-side\): Secret ns\/s\n/);
    assert.match(text, /tls\.key: "?<redacted/);
    assert.match(text, /tls\.crt: Q0VSVA==/);
    assert.doesNotMatch(text, /S0VZ/);
    assert.match(text, /# 2\. delete every VolumeSnapshot in namespace os-images selected by cdi\.kubevirt\.io\/dataImportCron \(listed by the dry run; undo cannot bring it back: CDI imports them again\)/);
    assert.match(text, /# then waits: rollout of Deployment ns\/d \(up to 300 s\)/);
    assert.match(text, /# - skipped: no snapshot/);
  });

  test('after the dry run: each outcome, a diff against the live object, and the selected deletes by name', () => {
    const text = previewText(
      { ...plan, phases: [{ ...plan.phases[0]!, writes: [{ action: 'apply', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { a: '2' } } }, plan.phases[0]!.writes[1]!] }] },
      [
        { label: 'ConfigMap ns/c', action: 'update', dryRun: 'passed', live: { data: { a: '1' } }, next: { data: { a: '2' } } },
        { label: 'VolumeSnapshot os-images/fedora-1', action: 'delete', dryRun: 'passed' },
      ],
      'The server-side dry run passed for 2 of 2 writes (1 to update, 1 to delete).',
    );
    assert.match(text, /# dry run: update\n# diff against the live object:\n(# .*\n)*# -  a: "?1"?\n# \+  a: "?2"?\n/);
    assert.match(text, /# Deletes, as the dry run lists them: VolumeSnapshot os-images\/fedora-1/);
    assert.deepEqual(redact({ kind: 'ConfigMap', data: { 'a.key': 'x' } }, ['.key']), { kind: 'ConfigMap', data: { 'a.key': 'x' } }, 'only Secrets are redacted');
  });
});

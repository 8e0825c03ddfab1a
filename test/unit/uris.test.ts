/** Issue 16 item 3: which URIs name one file (one key) and which name two (never one key); open documents' keys. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DocumentKeys, fileKey } from '../../server/uris.js';

describe('fileKey', () => {
  test('spellings of one file share its key', () => {
    const key = 'file:///w/dir/a.yaml';
    for (const uri of [
      'file:///w/dir/a.yaml',
      'file:///w/dir/a.yaml?query=1',
      'file:///w/dir/a.yaml#fragment',
      'file:///w/dir//a.yaml',
      'file:///w//dir/a.yaml',
      'file:///w/dir/./a.yaml',
      'file:///w/./dir/a.yaml',
      'file:///w/other/../dir/a.yaml',
      'file:///w/dir/%61.yaml',
      'file://localhost/w/dir/a.yaml',
    ]) {
      assert.equal(fileKey(uri), key, uri);
    }
  });

  test('two different files never share one', () => {
    const uris = [
      'file:///w/a.yaml',
      'file:///w/A.yaml',
      'file:///w/a%3Fq.yaml', // a file named "a?q.yaml"
      'file:///w/a%23f.yaml', // a file named "a#f.yaml"
      'file:///w/a%2520.yaml', // "a%20.yaml"
      'file:///w/a%20.yaml', // "a .yaml"
      'file:///w/sub/a.yaml',
      'file:///w/a.yaml/b.yaml',
      'untitled:Untitled-1',
      'untitled:Untitled-1#a.yaml',
      'untitled:Untitled-2',
    ];
    const keys = uris.map(fileKey);
    assert.equal(new Set(keys).size, uris.length, keys.join('\n'));
    // A file's own "?" or "#" is a character of its name, never mistaken for a query of another file's URI.
    assert.notEqual(fileKey('file:///w/a%3Fq.yaml'), fileKey('file:///w/a?q.yaml'));
    assert.notEqual(fileKey('file:///w/a%23f.yaml'), fileKey('file:///w/a#f.yaml'));
  });
});

describe('DocumentKeys', () => {
  test('the first open document of a file holds its key, another spelling one of its own, until closed', () => {
    const keys = new DocumentKeys();
    const a = keys.open('file:///w/a.yaml');
    const b = keys.open('file:///w/a.yaml?x');
    const c = keys.open('file:///w//a.yaml');
    assert.equal(a, 'file:///w/a.yaml');
    assert.equal(new Set([a, b, c]).size, 3);
    for (const k of [b, c]) assert.ok(k.startsWith('file:///w/a.yaml#'), k);
    assert.equal(keys.open('file:///w/a.yaml?x'), b, 'opening again keeps the key');
    assert.equal(keys.keyOf('file:///w/a.yaml?x'), b);
    assert.equal(keys.keyOf('file:///w/not-open.yaml?y'), 'file:///w/not-open.yaml');
    assert.ok(keys.isFileOpen('file:///w/a.yaml'));

    assert.deepEqual(keys.close('file:///w/a.yaml'), { key: a, file: a, fileStillOpen: true });
    // The file's key is free again: the next document of the file takes it; the others keep theirs.
    assert.equal(keys.open('file:///w/./a.yaml'), a);
    assert.equal(keys.keyOf('file:///w//a.yaml'), c);
    keys.close('file:///w/./a.yaml');
    keys.close('file:///w/a.yaml?x');
    assert.deepEqual(keys.close('file:///w//a.yaml'), { key: c, file: a, fileStillOpen: false });
    assert.ok(!keys.isFileOpen('file:///w/a.yaml'));
    assert.deepEqual(keys.close('file:///w/never-opened.yaml'), { key: 'file:///w/never-opened.yaml', file: 'file:///w/never-opened.yaml', fileStillOpen: false });
  });
});

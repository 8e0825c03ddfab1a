import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { decoded, readInputs } from '../../cli/files.js';
import { decodeSourceText } from '../../core/sourceText.js';

let root = '';
const noStdin = Readable.from([]);

function write(rel: string, text = 'kind: ConfigMap\n'): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kvstorage-files-'));
  write('b.yaml');
  write('a.yml');
  write('A.YAML');
  write('notes.txt', 'not yaml');
  write('sub/z.yaml');
  write('sub/deeper/y.yaml');
  write('node_modules/pkg/x.yaml');
  write('.git/config.yaml');
  write('.hidden/kept.yaml');
  symlinkSync(path.join(root, 'sub'), path.join(root, 'sub', 'loop')); // a cycle
  symlinkSync(path.join(root, 'sub'), path.join(root, 'sub-link'));
  mkdirSync(path.join(root, 'empty'));
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('reading inputs', () => {
  it('walks folders for .yaml/.yml, sorted, skipping node_modules and .git, ending symlink loops', async () => {
    const r = await readInputs(['.'], { cwd: root, stdin: noStdin });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.unreadable, []);
    // sub-link points at sub, already read: each real file once, under the first name met.
    assert.deepEqual(
      r.files.map((f) => f.file),
      ['.hidden/kept.yaml', 'A.YAML', 'a.yml', 'b.yaml', 'sub/deeper/y.yaml', 'sub/z.yaml'],
    );
    assert.equal(r.files[0]?.text, 'kind: ConfigMap\n');
  });

  it('reports paths as given, with forward slashes, and keeps command-line order', async () => {
    const r = await readInputs(['./sub/', 'notes.txt', 'b.yaml'], { cwd: root, stdin: noStdin });
    assert.deepEqual(r.files.map((f) => f.file), ['sub/deeper/y.yaml', 'sub/z.yaml', 'notes.txt', 'b.yaml']);
    const abs = await readInputs([path.join(root, 'b.yaml')], { cwd: '/', stdin: noStdin });
    assert.deepEqual(abs.files.map((f) => f.file), [path.join(root, 'b.yaml').split(path.sep).join('/')]);
  });

  it('reads - from stdin as <stdin>, once', async () => {
    const stdin = Readable.from([Buffer.from('\uFEFFkind: PersistentVolumeClaim\n')]);
    const r = await readInputs(['-', '-'], { cwd: root, stdin });
    assert.deepEqual(r.files, [{ file: '<stdin>', text: 'kind: PersistentVolumeClaim\n' }], 'one file, BOM dropped');
  });

  it('names every missing path and carries on', async () => {
    const r = await readInputs(['nope.yaml', 'b.yaml', 'gone/'], { cwd: root, stdin: noStdin });
    assert.deepEqual(r.errors, ["cannot read 'nope.yaml': no such file or directory", "cannot read 'gone/': no such file or directory"]);
  });

  it('refuses files larger than the limit without reading them', async () => {
    const big = path.join(root, 'big', 'huge.yaml');
    mkdirSync(path.dirname(big));
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024 + 1); // sparse: costs no disk
    try {
      const r = await readInputs(['big'], { cwd: root, stdin: noStdin });
      assert.deepEqual(r.unreadable, [{ file: 'big/huge.yaml', reason: 'larger than 50 MiB, the limit for one file' }]);
      assert.deepEqual(r.errors, []);
      const named = await readInputs(['big/huge.yaml', 'b.yaml'], { cwd: root, stdin: noStdin });
      assert.deepEqual(named.unreadable.map((u) => u.file), ['big/huge.yaml']);
      assert.deepEqual(named.files.map((f) => f.file), ['b.yaml'], 'the other file is still read');
      assert.deepEqual(named.order, ['big/huge.yaml', 'b.yaml']);
      const s = await readInputs(['-'], { cwd: root, stdin: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), maxBytes: 1024 });
      assert.equal(s.files.length, 0);
      assert.deepEqual(s.unreadable, [{ file: '<stdin>', reason: 'larger than 1024 bytes, the limit for one file' }]);
    } finally {
      rmSync(path.dirname(big), { recursive: true });
    }
  });

  it('rejects text that is not UTF-8', async () => {
    write('latin1.yaml', '');
    writeFileSync(path.join(root, 'latin1.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    try {
      const r = await readInputs(['latin1.yaml'], { cwd: root, stdin: noStdin });
      assert.deepEqual(r.unreadable, [{ file: 'latin1.yaml', reason: 'not valid UTF-8 text (the first bad byte is at offset 6)' }]);
    } finally {
      rmSync(path.join(root, 'latin1.yaml'));
    }
  });

  it('reports an unreadable file', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, async () => {
    write('locked.yaml');
    chmodSync(path.join(root, 'locked.yaml'), 0o000);
    try {
      const r = await readInputs(['locked.yaml'], { cwd: root, stdin: noStdin });
      assert.deepEqual(r.unreadable, [{ file: 'locked.yaml', reason: 'permission denied' }]);
    } finally {
      rmSync(path.join(root, 'locked.yaml'));
    }
  });

  it('reports a dangling symlink that looks like a manifest, and ignores other dangling links', async () => {
    mkdirSync(path.join(root, 'links'));
    symlinkSync(path.join(root, 'gone.yaml'), path.join(root, 'links', 'dangling.yaml'));
    symlinkSync(path.join(root, 'gone.txt'), path.join(root, 'links', 'dangling.txt'));
    try {
      const r = await readInputs(['links'], { cwd: root, stdin: noStdin });
      assert.deepEqual(r.unreadable, [{ file: 'links/dangling.yaml', reason: 'no such file or directory' }]);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.warnings, [], 'a folder whose only manifest cannot be read is not "without YAML"');
    } finally {
      rmSync(path.join(root, 'links'), { recursive: true });
    }
  });

  it('reads each real file once, however it is reached: a linked file, a folder named through a link, the same file named', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'kvstorage-files-outside-'));
    const top = mkdtempSync(path.join(tmpdir(), 'kvstorage-files-links-'));
    try {
      writeFileSync(path.join(outside, 'elsewhere.yaml'), 'kind: Secret\n');
      mkdirSync(path.join(top, 'real'));
      writeFileSync(path.join(top, 'real', 'a.yaml'), 'kind: ConfigMap\n');
      writeFileSync(path.join(top, 'real', 'b.yaml'), 'kind: Service\n');
      symlinkSync(path.join(top, 'real', 'b.yaml'), path.join(top, 'real', 'c-to-b.yaml')); // a link to a file met first as b.yaml
      symlinkSync(path.join(outside, 'elsewhere.yaml'), path.join(top, 'real', 'd-out.yaml')); // followed out of the folder
      symlinkSync(path.join(top, 'real'), path.join(top, 'via')); // the folder again, through a link
      const found: Array<[number, number]> = [];
      const r = await readInputs(['via', 'real', 'real/a.yaml', path.join(outside, 'elsewhere.yaml')], { cwd: top, stdin: noStdin, onFound: (n, bytes) => found.push([n, bytes]) });
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.unreadable, []);
      assert.deepEqual(
        r.files.map((f) => [f.file, f.text]),
        [
          ['via/a.yaml', 'kind: ConfigMap\n'],
          ['via/b.yaml', 'kind: Service\n'],
          ['via/d-out.yaml', 'kind: Secret\n'],
        ],
        'the files under real/ and the one named (also reached by a link) are the ones read through via/',
      );
      assert.deepEqual(r.order, ['via/a.yaml', 'via/b.yaml', 'via/d-out.yaml']);
      // Told before reading: the four files of each walk, then the named ones (their sizes, walked files count none).
      assert.deepEqual(found, [
        [4, 0],
        [8, 0],
        [9, 16],
        [10, 29],
      ]);
    } finally {
      rmSync(top, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('warns about a folder without YAML', async () => {
    const r = await readInputs(['empty'], { cwd: root, stdin: noStdin });
    assert.deepEqual(r, { files: [], unreadable: [], order: [], errors: [], warnings: ["no .yaml or .yml files in 'empty'"] });
  });
});

describe('reading a walked file: the ASCII shortcut', () => {
  // `decoded` takes ASCII without NUL bytes as its own text; everything else goes to decodeSourceText. Both must
  // give the same for any bytes: drawn mostly from ASCII, with NULs, a BOM, multi-byte UTF-8 and bad bytes mixed in.
  const expected = (bytes: Buffer) => {
    const d = decodeSourceText(bytes);
    return d.ok ? d.text : { reason: d.reason };
  };
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 40 }).map((a) => Array.from(a, (b) => b & 0x7f)) },
    { weight: 1, arbitrary: fc.constantFrom([0x00], [0xef, 0xbb, 0xbf], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xc3], [0x80]) },
  );
  it('gives what decodeSourceText gives (randomized)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const bytes = Buffer.from(pieces.flat());
        assert.deepEqual(decoded(bytes), expected(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads walked files whole around the size of the first read (64 KiB), and refuses those over the limit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kvstorage-read-'));
    const first = 64 * 1024;
    try {
      // ASCII of exact sizes, and a two-byte character cut by the first read's end.
      const sized = (n: number) => 'kind: ConfigMap\n' + '#'.repeat(n - 17) + '\n';
      const texts: Record<string, string> = {};
      for (const n of [first - 1, first, first + 1, 3 * first + 5]) texts[`a${n}.yaml`] = sized(n);
      texts['cut.yaml'] = '#'.repeat(first - 1) + 'é\n';
      for (const [name, text] of Object.entries(texts)) writeFileSync(path.join(dir, name), text);
      const r = await readInputs([dir], { cwd: dir, stdin: noStdin });
      assert.deepEqual(Object.fromEntries(r.files.map((f) => [path.basename(f.file), f.text])), texts);
      // The limit holds below and above the first read's size; a file of exactly the limit is read.
      for (const maxBytes of [first - 1, first + 1, 1000]) {
        const limited = await readInputs([dir], { cwd: dir, stdin: noStdin, maxBytes });
        const fits = Object.entries(texts).filter(([, t]) => Buffer.byteLength(t) <= maxBytes).map(([n]) => n).sort();
        assert.deepEqual(limited.files.map((f) => path.basename(f.file)).sort(), fits, `maxBytes ${maxBytes}`);
        assert.equal(limited.unreadable.length, Object.keys(texts).length - fits.length);
        for (const u of limited.unreadable) assert.match(u.reason, /^larger than/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names walked files as path.join would, whatever form the folder is given in', async () => {
    for (const given of ['sub', 'sub/', './sub', './sub/', 'sub//deeper/..', '.', './', path.join(root, 'sub'), `${path.join(root, 'sub')}/`]) {
      const r = await readInputs([given], { cwd: root, stdin: noStdin });
      const walkedNames = r.files.map((f) => f.file);
      assert.ok(walkedNames.length > 0, given);
      for (const name of walkedNames) {
        assert.equal(name, path.normalize(name).split(path.sep).join('/'), `${given}: ${name} is normalised`);
        assert.ok(!name.startsWith('./'), `${given}: ${name}`);
      }
    }
    const dotted = await readInputs(['./sub/'], { cwd: root, stdin: noStdin });
    assert.deepEqual(dotted.files.map((f) => f.file), ['sub/deeper/y.yaml', 'sub/z.yaml']);
  });

  it('reads a file of 10,000 bytes, an empty one and one of UTF-8 with a BOM, whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kvstorage-read-'));
    try {
      const big = 'kind: ConfigMap\n' + '# padding line\n'.repeat(666);
      writeFileSync(path.join(dir, 'big.yaml'), big);
      writeFileSync(path.join(dir, 'empty.yaml'), '');
      writeFileSync(path.join(dir, 'utf8.yaml'), '\ufeffkind: ConfigMap # é €\n');
      const r = await readInputs([dir], { cwd: dir, stdin: noStdin });
      assert.deepEqual(
        r.files.map((f) => [path.basename(f.file), f.text]),
        [
          ['big.yaml', big],
          ['empty.yaml', ''],
          ['utf8.yaml', 'kind: ConfigMap # é €\n'],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The serving certificate: loaded and checked as a pair, and reloaded when its files change.
 *
 * Kubernetes mounts a Secret as symlinks (`tls.crt -> ..data/tls.crt`, `..data -> ..2025_01_01_...`) and
 * updates it by writing a new timestamped directory and renaming a new `..data` symlink over the old one.
 * A watch on the file itself then goes quiet (its inode is gone), so both the files and their directories
 * are watched, file watches are re-armed after every event, and a slow poll backs the watches up (some
 * filesystems send no events). Events are debounced: a rotation touches several entries.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { dirname } from 'node:path';

export interface TlsPair {
  cert: string;
  key: string;
  serialNumber: string;
  notAfter: Date;
  subject: string;
}

export type PairResult = { ok: true; pair: TlsPair } | { ok: false; error: string };

/** Reads and checks a certificate and key: both parse, the key belongs to the certificate, TLS accepts them. */
export function loadPair(certPath: string, keyPath: string): PairResult {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certPath, 'utf8');
    key = readFileSync(keyPath, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read the certificate or key: ${message(e)}` };
  }
  return checkPair(cert, key);
}

export function checkPair(cert: string, key: string): PairResult {
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return { ok: false, error: 'the key does not belong to the certificate' };
    createSecureContext({ cert, key });
    return { ok: true, pair: { cert, key, serialNumber: x509.serialNumber, notAfter: new Date(x509.validTo), subject: x509.subject } };
  } catch (e) {
    return { ok: false, error: `invalid certificate or key: ${message(e)}` };
  }
}

export interface ReloaderOptions {
  certPath: string;
  keyPath: string;
  /** The pair in use; a reload happens only when the files' content differs from it. */
  current: TlsPair;
  onReload: (pair: TlsPair) => void;
  /** The new files do not make a valid pair: the old one stays in use. */
  onInvalid: (error: string) => void;
  debounceMs?: number;
  /** Backstop poll; default 60 s. */
  pollMs?: number;
}

export class CertificateReloader {
  private readonly fileWatchers = new Map<string, FSWatcher>();
  private readonly dirWatchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly poll: NodeJS.Timeout;
  private current: TlsPair;
  /** Content last judged invalid, so a bad pair is reported once, not on every poll. */
  private rejected = '';
  private closed = false;

  constructor(private readonly opts: ReloaderOptions) {
    this.current = opts.current;
    for (const dir of new Set([dirname(opts.certPath), dirname(opts.keyPath)])) {
      const w = this.tryWatch(dir);
      if (w) this.dirWatchers.push(w);
    }
    this.armFileWatchers();
    this.poll = setInterval(() => this.check(), opts.pollMs ?? 60_000);
    this.poll.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    for (const w of [...this.dirWatchers, ...this.fileWatchers.values()]) w.close();
    this.fileWatchers.clear();
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.armFileWatchers();
      this.check();
    }, this.opts.debounceMs ?? 250);
    this.timer.unref();
  }

  /** (Re-)watches each file: a replaced file or symlink target needs a new watch. */
  private armFileWatchers(): void {
    for (const path of [this.opts.certPath, this.opts.keyPath]) {
      this.fileWatchers.get(path)?.close();
      this.fileWatchers.delete(path);
      const w = this.tryWatch(path);
      if (w) this.fileWatchers.set(path, w);
    }
  }

  private tryWatch(path: string): FSWatcher | undefined {
    try {
      const w = watch(path, { persistent: false }, () => this.changed());
      w.on('error', () => this.changed()); // the watched entry went away: re-arm after the debounce
      return w;
    } catch {
      return undefined; // missing now; the directory watch or the poll will notice it coming back
    }
  }

  private check(): void {
    if (this.closed) return;
    let cert: string;
    let key: string;
    try {
      cert = readFileSync(this.opts.certPath, 'utf8');
      key = readFileSync(this.opts.keyPath, 'utf8');
    } catch (e) {
      const error = `cannot read the certificate or key: ${message(e)}`;
      if (this.rejected !== error) this.opts.onInvalid(error);
      this.rejected = error;
      return;
    }
    if (cert === this.current.cert && key === this.current.key) return;
    if (this.rejected === cert + key) return;
    const r = checkPair(cert, key);
    if (!r.ok) {
      this.rejected = cert + key;
      this.opts.onInvalid(r.error);
      return;
    }
    this.rejected = '';
    this.current = r.pair;
    this.opts.onReload(r.pair);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

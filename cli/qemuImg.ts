/**
 * `qemu-img` from the PATH (Debian's qemu-utils), for `datamover plan --verify`: whether it is there, and
 * `qemu-img info -f qcow2 --output=json` on one file, as the restore pod runs it (inspectQcow2 in
 * pkg/downloader/reconstruct.go). It opens the image only, not its backing chain.
 */
import { execFile } from 'node:child_process';
import { parseQemuInfo, type QemuInfoResult } from '../core/datamover/verify.js';

const timeoutMs = 30_000;

function run(args: string[], env: Record<string, string | undefined> | undefined): Promise<{ ok: true; stdout: string } | { ok: false; missing: boolean; message: string }> {
  return new Promise((resolve) => {
    execFile('qemu-img', args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: env ?? process.env }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, missing: true, message: 'qemu-img is not on the PATH' });
      const said = stderr.trim().split('\n').pop() ?? '';
      resolve({ ok: false, missing: false, message: said || (err.killed ? `qemu-img gave no answer within ${timeoutMs / 1000} s` : err.message) });
    });
  });
}

/** The first line of `qemu-img --version`, or undefined when there is no qemu-img. */
export async function qemuImgVersion(env?: Record<string, string | undefined>): Promise<{ ok: true; version: string } | { ok: false; message: string }> {
  const r = await run(['--version'], env);
  return r.ok ? { ok: true, version: r.stdout.split('\n')[0]!.trim() } : { ok: false, message: r.message };
}

export async function qemuImgInfo(file: string, env?: Record<string, string | undefined>): Promise<QemuInfoResult> {
  const r = await run(['info', '-f', 'qcow2', '--output=json', file], env);
  return r.ok ? parseQemuInfo(r.stdout) : { ok: false, error: r.message };
}

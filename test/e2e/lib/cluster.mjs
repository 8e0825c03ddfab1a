// The real-editor tests' cluster (cluster.ts: the API emulator, seeded), loaded through tsx: the emulator is
// TypeScript and the runners are plain Node.
import { mkdirSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

/**
 * Starts the seeded emulator; its kubeconfig and `cluster.json` go into `dir`. `opts.gcp` adds the GCP golden-image
 * objects the checklist's UI test works on. Returns `{ info, infoFile, close() }`.
 */
export async function startTestCluster(dir, opts = {}) {
  mkdirSync(dir, { recursive: true });
  const { startTestCluster: start } = await tsImport('./cluster.ts', import.meta.url);
  return start(dir, opts);
}

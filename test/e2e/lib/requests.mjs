// What the UI run's API emulator was asked (lib/cluster.ts serves its request log): the tests check, e.g., that a
// cancelled or dry-run conversation wrote nothing.
import { strict as assert } from 'node:assert';

/** Every API request the emulator has seen so far: `[{method, path, query, user}]`. */
export async function emulatorRequests(cluster) {
  const res = await fetch(cluster.requestsUrl);
  assert.equal(res.status, 200, `GET ${cluster.requestsUrl}`);
  return res.json();
}

/** The writes among `requests` that were not dry runs (`skip` leaves out paths it matches, e.g. the undo journal's). */
export function writesWithoutDryRun(requests, skip) {
  return requests.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method.toUpperCase()) && new URLSearchParams(r.query).get('dryRun') !== 'All' && !skip?.test(r.path));
}

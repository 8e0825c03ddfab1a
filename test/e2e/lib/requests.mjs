// What the UI tests' API emulator has seen (lib/cluster.ts serves its request log on loopback).
import { strict as assert } from 'node:assert';

/** The requests the emulator has answered so far: `[{method, path, query, user}]`. */
export async function emulatorRequests(cluster) {
  const res = await fetch(cluster.requestsUrl);
  assert.equal(res.status, 200, `GET ${cluster.requestsUrl}`);
  return res.json();
}

/** The requests among `requests` that changed something (writes without `dryRun=All`). */
export const writesWithoutDryRun = (requests) =>
  requests.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method.toUpperCase()) && new URLSearchParams(r.query).get('dryRun') !== 'All');

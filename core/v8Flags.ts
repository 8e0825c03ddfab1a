/**
 * Which of an adapter's own V8 flags to set at its start (`v8.setFlagsFromString`, before the code they concern
 * is compiled): each of `ours` unless the user named the same flag on node's command line (`process.execArgv`) or
 * in NODE_OPTIONS, in any spelling V8 reads (`-` and `_` alike). The adapters pass their command line in and say
 * which flags they set and why (cli/v8Flags.ts, server/v8Flags.ts).
 */
export function v8FlagsToSet(ours: readonly string[], execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set(
    [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
      .filter((a) => a.startsWith('--'))
      .map((a) => flagName(a)),
  );
  return ours.filter((f) => !given.has(flagName(f)));
}

function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return (eq < 0 ? arg : arg.slice(0, eq)).replace(/_/g, '-');
}

#!/usr/bin/env bash
# Stops the test API server that start.sh started in DIR: SIGTERM, then waits for it to remove its files and
# exit (SIGKILL after KVS_APISERVER_STOP_TIMEOUT seconds, default 30). Does nothing if none runs there.
# Usage: test/apiserver/stop.sh DIR
set -euo pipefail
dir=${1:?usage: test/apiserver/stop.sh DIR}
[ -f "$dir/pid" ] || exit 0
pid=$(cat "$dir/pid")
if kill -TERM "$pid" 2>/dev/null; then
  deadline=$(($(date +%s) + ${KVS_APISERVER_STOP_TIMEOUT:-30}))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "test/apiserver/stop.sh: pid $pid did not stop within ${KVS_APISERVER_STOP_TIMEOUT:-30}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
fi
rm -f "$dir/pid"

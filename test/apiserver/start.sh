#!/usr/bin/env bash
# Starts the test API server in the background (building it first if needed, see setup.sh) and returns once it
# is ready: /readyz answers, the test roles and the CRDs of test/apiserver/crds/ are there. Writes into DIR:
#   kubeconfig             the admin user (system:masters)
#   kubeconfig-restricted  a user who may get, list and watch everything and change nothing
#   kubeconfig-forbidden   an authenticated user bound to nothing
#   pid, apiserver.log     for stop.sh, and the server's log
# Usage: test/apiserver/start.sh DIR [--without-groups=g1,g2]   (stop it with test/apiserver/stop.sh DIR)
#   --without-groups leaves out the CRDs of those API groups (the program's other flags pass through too)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: test/apiserver/start.sh DIR [--without-groups=g1,g2]}
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
  echo "test/apiserver/start.sh: already running in $dir (pid $(cat "$dir/pid")); stop it with stop.sh first" >&2
  exit 1
fi
bin=$(bash "$here/setup.sh")
rm -f "$dir/kubeconfig" "$dir/kubeconfig-restricted" "$dir/kubeconfig-forbidden"
# Alive and not a zombie (an exited child stays one until this script ends, and kill -0 still finds it).
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
deadline=$(($(date +%s) + ${KVS_APISERVER_START_TIMEOUT:-180}))
# The program picks free ports and frees them for etcd and the server to bind; another process can take one in
# between. That start fails at once with "address already in use" and is tried again (three tries).
for try in 1 2 3; do
  "$bin" --dir "$dir" --crds "$here/crds" "$@" </dev/null >"$dir/apiserver.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/pid"
  while [ ! -f "$dir/kubeconfig" ] && alive "$pid"; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "test/apiserver/start.sh: not ready after ${KVS_APISERVER_START_TIMEOUT:-180}s; stopping it (log: $dir/apiserver.log)" >&2
      bash "$here/stop.sh" "$dir" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  [ -f "$dir/kubeconfig" ] && break
  rm -f "$dir/pid"
  if [ "$try" -lt 3 ] && grep -q 'address already in use' "$dir/apiserver.log"; then
    echo "test/apiserver/start.sh: a port was taken meanwhile; starting again" >&2
    continue
  fi
  echo "test/apiserver/start.sh: the server exited before it was ready; the end of $dir/apiserver.log:" >&2
  tail -20 "$dir/apiserver.log" >&2
  exit 1
done
# The program writes the kubeconfigs only after /readyz; ask once more from here, verifying its certificate.
server=$(sed -n 's/^ *server: //p' "$dir/kubeconfig")
token=$(sed -n 's/^ *token: //p' "$dir/kubeconfig")
ca=$(mktemp)
trap 'rm -f "$ca"' EXIT
sed -n 's/^ *certificate-authority-data: //p' "$dir/kubeconfig" | base64 -d >"$ca"
curl -sf --cacert "$ca" -H "Authorization: Bearer $token" "$server/readyz" >/dev/null
echo "test/apiserver/start.sh: ready at $server (pid $pid; kubeconfigs in $dir)" >&2

#!/usr/bin/env bash
# Builds the test API server (test/apiserver/*.go: kube-apiserver + embedded etcd) once into a cache outside the
# repository, and prints the binary's path on stdout. Idempotent: a binary for this source (go.mod, go.sum, *.go
# and the Go version) is reused. Modules and the build cache live in the cache folder too, so a rebuild after a
# change compiles only what changed. Everything comes from the Go module proxy.
#   KVS_APISERVER_CACHE  the cache folder (default ~/.cache/kvstorage-apiserver)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KVS_APISERVER_CACHE:-$HOME/.cache/kvstorage-apiserver}
if ! command -v go >/dev/null 2>&1; then
  echo "test/apiserver/setup.sh: Go is not on PATH; the real-API-server tests build kube-apiserver from Go modules and need Go 1.24 or newer (the machines have it: check \`go version\`)" >&2
  exit 1
fi
hash=$( (cd "$here" && cat go.mod go.sum ./*.go && go version) | sha256sum | cut -c1-16)
bin="$cache/bin/kvs-apiserver-$hash"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache/bin"
export GOMODCACHE="$cache/gomod" GOCACHE="$cache/gocache" GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local
cd "$here"
t0=$(date +%s)
echo "test/apiserver/setup.sh: downloading modules into $GOMODCACHE" >&2
go mod download >&2
t1=$(date +%s)
echo "test/apiserver/setup.sh: modules took $((t1 - t0))s; building kube-apiserver (the first build takes minutes)" >&2
go build -trimpath -o "$bin.tmp" . >&2
mv "$bin.tmp" "$bin"
t2=$(date +%s)
echo "test/apiserver/setup.sh: built $bin in $((t2 - t1))s" >&2
# Older binaries (other sources) are of no further use.
find "$cache/bin" -name 'kvs-apiserver-*' ! -name "kvs-apiserver-$hash" -delete
echo "$bin"

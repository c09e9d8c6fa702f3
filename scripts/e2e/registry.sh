#!/usr/bin/env bash
# scripts/e2e/registry.sh — a throwaway local image registry (Debian's docker-registry, the
# CNCF distribution registry) for end-to-end tests that push and pull.
#
#   scripts/e2e/registry.sh install       as root: apt-get install docker-registry (idempotent;
#                                         run by scripts/e2e/run.sh, so .ci/run gets it)
#   scripts/e2e/registry.sh start DIR     serve on 127.0.0.1 at a free port, storage and config
#                                         in DIR; prints `export STAGEC_REGISTRY=127.0.0.1:PORT`
#                                         (also written to DIR/env); pid in DIR/registry.pid
#   scripts/e2e/registry.sh stop DIR      stops the registry started in DIR and removes DIR
#
# Docker treats 127.0.0.0/8 registries as insecure (plain http) by default, so no daemon
# configuration is needed. From TypeScript: test/e2e/registry.ts (startRegistry()).
set -euo pipefail

log() { printf 'registry.sh: %s\n' "$*" >&2; }
die() { printf 'registry.sh: error: %s\n' "$*" >&2; exit 1; }
BIN=/usr/bin/docker-registry

cmd_install() {
  [[ -x "$BIN" ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install docker-registry"
  command -v apt-get >/dev/null || die "not Debian (no apt-get); install a registry (docker-registry) by hand"
  export DEBIAN_FRONTEND=noninteractive
  log "apt-get install -y docker-registry"
  apt-get install -y -q docker-registry >&2 2>/dev/null || { apt-get update -qq >&2 && apt-get install -y -q docker-registry >&2; } \
    || die "apt-get install docker-registry failed"
  # The package enables a system service on :5000; the tests run their own.
  if command -v systemctl >/dev/null && systemctl is-active -q docker-registry 2>/dev/null; then systemctl stop docker-registry || true; fi
}

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

cmd_start() {
  local dir="${1:?usage: registry.sh start DIR}" port attempt pid
  [[ -x "$BIN" ]] || cmd_install
  mkdir -p "$dir/data"
  for attempt in 1 2 3; do
    port="$(free_port)"
    cat >"$dir/config.yml" <<YAML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $dir/data }
  delete: { enabled: true }
http:
  addr: 127.0.0.1:$port
YAML
    setsid "$BIN" serve "$dir/config.yml" </dev/null >>"$dir/registry.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/registry.pid"
    for _ in $(seq 1 50); do
      if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 || node -e "fetch('http://127.0.0.1:$port/v2/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
        printf 'export STAGEC_REGISTRY=127.0.0.1:%s\n' "$port" | tee "$dir/env"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    log "attempt $attempt: no answer on port $port (log: $dir/registry.log)"
  done
  die "docker-registry did not start"
}

cmd_stop() {
  local dir="${1:?usage: registry.sh stop DIR}"
  if [[ -s "$dir/registry.pid" ]]; then kill "$(cat "$dir/registry.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac

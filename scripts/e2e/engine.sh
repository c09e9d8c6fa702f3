#!/usr/bin/env bash
# scripts/e2e/engine.sh — make a working Docker engine (with BuildKit) available for
# stagec's end-to-end tests (README, "End-to-end builds"). This file is the dockerd lifecycle only: apt
# provisioning is lib/apt.sh, the base image is base-image.sh.
#
#   scripts/e2e/engine.sh up [--no-buildah]   idempotent; prints `export ...` lines on stdout
#                                             (logs go to stderr) and writes $DIR/env
#   scripts/e2e/engine.sh down [--purge]      stops only the dockerd this script started;
#                                             --purge also removes its image store and state
#   scripts/e2e/engine.sh status              prints what is running
#   . scripts/e2e/engine.sh [up]              sourced: does `up` and exports into your shell
#
#   eval "$(scripts/e2e/engine.sh up)"        same as sourcing
#
# State dir: DIR=${STAGEC_E2E_DIR:-/tmp/stagec-e2e}  (docker.sock, data/, exec/, dockerd.log,
# dockerd.pid, env, timings.log).
#
# What `up` does:
#   1. If our own dockerd (DIR/dockerd.pid) is alive, reuse it. Else if `docker info` answers
#      (DOCKER_HOST as given, or the default socket), reuse that engine. Else, as root on Debian:
#      `apt-get update` (once) + `apt-get install -y docker.io debootstrap buildah`, then start
#      `dockerd --host unix://DIR/docker.sock --data-root DIR/data --exec-root DIR/exec
#      --iptables=false --bridge=none` and wait for `docker info` (timeout
#      STAGEC_E2E_TIMEOUT, default 60 s; on failure prints the tail of DIR/dockerd.log).
#   2. base-image.sh: debian:bookworm-slim made with debootstrap if the engine lacks it, and
#      copied into buildah's storage (unless --no-buildah).
#   3. Picks a docker CLI that really runs BuildKit builds and writes DIR/env.
#
# Exported:
#   DOCKER_HOST     the engine's socket (unix://DIR/docker.sock for ours)
#   DOCKER_BUILDKIT=1
#   STAGEC_DOCKER   absolute path of a docker CLI that really runs
#                   `DOCKER_BUILDKIT=1 docker build --network=host` against this engine.
#                   Probed, not assumed: a newer CLI (e.g. docker 28 in /usr/local/bin) without
#                   the buildx plugin refuses BuildKit builds ("BuildKit is enabled but the
#                   buildx component is missing or broken"), while Debian's /usr/bin/docker
#                   (20.10) has BuildKit built in. Every `docker` on PATH plus /usr/bin/docker
#                   is tried with a tiny FROM-scratch build; the first that works wins.
#   STAGEC_E2E_DIR  the state dir
#   STAGEC_NETWORK=host  only for our own dockerd (--bridge=none), so `stagec build` works
#
# Gotchas:
#   - Images made here carry the official image's /etc/apt/apt.conf.d/docker-clean, which deletes
#     downloaded .debs; for `RUN --mount=type=cache,target=/var/cache/apt` to keep anything, a
#     Dockerfile removes it first (`rm -f /etc/apt/apt.conf.d/docker-clean`), as on the real image.
#   - No registry: never put `# syntax=` in a Dockerfile (it would pull docker/dockerfile).
#   - Builds need `--network=host` (dockerd runs with --bridge=none).

# ---------------------------------------------------------------------------------------------
# Sourced: run `up` in a child bash (so `set -e`/`exit` never touch the caller) and source env.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  _stagec_e2e_cmd="${1:-up}"
  if [[ "$_stagec_e2e_cmd" == up ]]; then
    if bash "${BASH_SOURCE[0]}" "$@" >/dev/null; then
      # shellcheck disable=SC1091
      . "${STAGEC_E2E_DIR:-/tmp/stagec-e2e}/env"
    else
      echo "engine.sh: up failed" >&2
      false
    fi
  else
    bash "${BASH_SOURCE[0]}" "$@"
  fi
  unset _stagec_e2e_cmd
  # shellcheck disable=SC2317
  return 2>/dev/null || true
fi

set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_NAME=engine.sh
DIR="${STAGEC_E2E_DIR:-/tmp/stagec-e2e}"
SOCK="$DIR/docker.sock"
OWN_HOST="unix://$SOCK"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
TIMEOUT="${STAGEC_E2E_TIMEOUT:-60}"
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=lib/apt.sh
. "$here/lib/apt.sh"

# Any docker CLI is fine for `info`/`import`/`image inspect`; prefer Debian's.
any_docker() {
  if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; return; fi
  command -v docker || true
}

engine_answers() { # host
  local d; d="$(any_docker)"
  [[ -n "$d" ]] || return 1
  DOCKER_HOST="$1" timeout 15 "$d" info >/dev/null 2>&1
}

own_pid_alive() {
  [[ -s "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

# --- the client ----------------------------------------------------------------------------
pick_client() { # prints the path of a docker CLI whose BuildKit build works against DOCKER_HOST
  local ctx c seen=" " cands=()
  IFS=: read -r -a _path <<<"$PATH"
  for c in "${_path[@]}"; do [[ -x "$c/docker" ]] && cands+=("$c/docker"); done
  cands+=(/usr/bin/docker)
  ctx="$(mktemp -d)"
  printf 'FROM scratch\nCOPY probe /probe\n' >"$ctx/Dockerfile"
  echo probe >"$ctx/probe"
  for c in "${cands[@]}"; do
    c="$(readlink -f "$c")"
    [[ "$seen" == *" $c "* ]] && continue
    seen+="$c "
    if DOCKER_BUILDKIT=1 timeout 120 "$c" build --network=host -q -t stagec-e2e-probe:latest "$ctx" >"$ctx/out" 2>&1; then
      "$c" image rm -f stagec-e2e-probe:latest >/dev/null 2>&1 || true
      rm -rf "$ctx"
      log "client $c: BuildKit build OK ($("$c" version -f '{{.Client.Version}}' 2>/dev/null || echo '?'))"
      echo "$c"
      return 0
    fi
    log "client $c: BuildKit build refused: $(head -c 200 "$ctx/out" | tr '\n' ' ')"
  done
  rm -rf "$ctx"
  return 1
}

# --- up / down -------------------------------------------------------------------------------
start_dockerd() {
  apt_install docker.io
  [[ -x /usr/sbin/dockerd ]] || die "no /usr/sbin/dockerd after installing docker.io"
  mkdir -p "$DIR/data" "$DIR/exec"
  rm -f "$SOCK" "$PIDFILE"
  local t; t="$(now)"
  log "starting dockerd on $OWN_HOST (data root $DIR/data, log $LOG)"
  # setsid: the daemon must outlive this shell (and the test runner that called us).
  setsid /usr/sbin/dockerd \
    --host "$OWN_HOST" \
    --data-root "$DIR/data" \
    --exec-root "$DIR/exec" \
    --pidfile "$PIDFILE" \
    --iptables=false --ip-masq=false --bridge=none \
    </dev/null >>"$LOG" 2>&1 &
  local launcher=$! deadline=$((SECONDS + TIMEOUT))
  until engine_answers "$OWN_HOST"; do
    if ! kill -0 "$launcher" 2>/dev/null && ! own_pid_alive; then
      tail -n 25 "$LOG" >&2
      die "dockerd exited during start-up (log: $LOG)"
    fi
    if (( SECONDS >= deadline )); then
      tail -n 25 "$LOG" >&2
      die "dockerd did not answer 'docker info' within ${TIMEOUT}s (log: $LOG)"
    fi
    sleep 0.2
  done
  [[ -s "$PIDFILE" ]] || echo "$launcher" >"$PIDFILE"
  timing dockerd-start "$(elapsed "$t")"
}

cmd_up() {
  local buildah=1 a
  for a in "$@"; do
    case "$a" in
      --no-buildah) buildah=0 ;;
      *) die "up: unknown option $a" ;;
    esac
  done
  mkdir -p "$DIR"
  local host=""
  if own_pid_alive && engine_answers "$OWN_HOST"; then
    host="$OWN_HOST"; log "engine: reusing our dockerd (pid $(cat "$PIDFILE")) at $host"
  elif [[ -n "${DOCKER_HOST:-}" && "${DOCKER_HOST}" != "$OWN_HOST" ]] && engine_answers "$DOCKER_HOST"; then
    host="$DOCKER_HOST"; log "engine: reusing existing engine at DOCKER_HOST=$host"
  elif [[ -z "${DOCKER_HOST:-}" ]] && engine_answers "unix:///var/run/docker.sock"; then
    host="unix:///var/run/docker.sock"; log "engine: reusing existing engine at $host"
  else
    # One apt transaction for everything a fresh machine needs (base-image.sh finds them installed).
    if [[ $buildah -eq 1 ]]; then apt_install docker.io debootstrap buildah; else apt_install docker.io debootstrap; fi
    start_dockerd
    host="$OWN_HOST"; log "engine: started our dockerd (pid $(cat "$PIDFILE")) at $host"
  fi
  export DOCKER_HOST="$host"
  local d; d="$(any_docker)"
  log "engine version: $("$d" version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
  local image_args=("$d")
  [[ $buildah -eq 1 ]] || image_args+=(--no-buildah)
  DOCKER_HOST="$host" STAGEC_E2E_DIR="$DIR" bash "$here/base-image.sh" "${image_args[@]}"
  local client
  client="$(pick_client)" || die "no docker CLI could run a BuildKit build (DOCKER_BUILDKIT=1) against $host"
  {
    printf 'export DOCKER_HOST=%q\n' "$host"
    printf 'export DOCKER_BUILDKIT=1\n'
    printf 'export STAGEC_DOCKER=%q\n' "$client"
    printf 'export STAGEC_E2E_DIR=%q\n' "$DIR"
    # Our dockerd runs with --bridge=none: RUN steps need the host's network.
    if [[ "$host" == "$OWN_HOST" ]]; then printf 'export STAGEC_NETWORK=host\n'; fi
  } >"$DIR/env.tmp"
  mv "$DIR/env.tmp" "$DIR/env"
  log "env written to $DIR/env"
  cat "$DIR/env"
}

cmd_down() {
  local purge=0 a
  for a in "$@"; do
    case "$a" in
      --purge) purge=1 ;;
      *) die "down: unknown option $a" ;;
    esac
  done
  if own_pid_alive; then
    local pid; pid="$(cat "$PIDFILE")"
    log "stopping our dockerd (pid $pid)"
    kill -TERM "$pid"
    local _
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "dockerd $pid still running after 30s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
    fi
  else
    log "no dockerd of ours is running"
  fi
  rm -f "$PIDFILE" "$SOCK" "$DIR/env"
  if [[ $purge -eq 1 ]]; then
    log "purging $DIR"
    if command -v buildah >/dev/null; then
      buildah --storage-driver vfs rmi -f debian:bookworm-slim >/dev/null 2>&1 || true
    fi
    # dockerd unmounts its overlays on exit; catch any leftovers before deleting.
    grep -F " $DIR/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$DIR"
  fi
}

cmd_status() {
  if own_pid_alive; then
    echo "our dockerd: pid $(cat "$PIDFILE"), DOCKER_HOST=$OWN_HOST, answers: $(engine_answers "$OWN_HOST" && echo yes || echo no)"
  else
    echo "our dockerd: not running"
  fi
  [[ -f "$DIR/env" ]] && cat "$DIR/env"
  return 0
}

case "${1:-up}" in
  up) shift || true; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  -h|--help|help) sed -n '2,20p' "$0" ;;
  *) die "usage: $0 {up [--no-buildah]|down [--purge]|status}" ;;
esac

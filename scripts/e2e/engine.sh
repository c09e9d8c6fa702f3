#!/usr/bin/env bash
# scripts/e2e/engine.sh — make a working Docker engine (with BuildKit) available for
# stagec's end-to-end tests, as DESIGN §7 says.
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
#   2. If the engine has no `debian:bookworm-slim`, make it: `debootstrap --variant=minbase
#      bookworm DIR/rootfs MIRROR` with MIRROR taken from the machine's apt sources
#      (/etc/apt/sources.list.d/*.sources in deb822 form, *.list, /etc/apt/sources.list;
#      override with STAGEC_E2E_MIRROR / STAGEC_E2E_SECURITY_MIRROR), slimmed like the
#      official image (same dpkg path-excludes and apt.conf.d/docker-* files, so a Dockerfile
#      that works here works on the real image), apt sources inside pointing to the same
#      mirror (deb822 /etc/apt/sources.list.d/debian.sources) and the host's apt
#      Check-Valid-Until/Check-Date/Proxy settings copied in; then
#      `tar -C rootfs -c . | docker import - debian:bookworm-slim`.
#   3. If buildah is installed (and not --no-buildah), copy the image into buildah's
#      storage (vfs driver): `buildah --storage-driver vfs pull docker-daemon:debian:bookworm-slim`.
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

DIR="${STAGEC_E2E_DIR:-/tmp/stagec-e2e}"
SOCK="$DIR/docker.sock"
OWN_HOST="unix://$SOCK"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
TIMEOUT="${STAGEC_E2E_TIMEOUT:-60}"
BASE_IMAGE="debian:bookworm-slim"
SUITE="bookworm"

log() { printf 'engine.sh: %s\n' "$*" >&2; }
die() { printf 'engine.sh: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
timing() { # step seconds
  log "time: $1 ${2}s"
  mkdir -p "$DIR" && printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$1" "$2" >>"$DIR/timings.log"
}

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

APT_UPDATED=0
apt_install() { # packages...
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
  command -v apt-get >/dev/null || die "not Debian (no apt-get); cannot install ${missing[*]}"
  local t; t="$(now)"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install -y ${missing[*]}"
  apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >"$DIR/apt-install.log" 2>&1 \
    || { tail -n 30 "$DIR/apt-install.log" >&2; die "apt-get install ${missing[*]} failed"; }
  timing "apt-install(${missing[*]})" "$(elapsed "$t")"
}

# --- mirrors from the machine's apt sources -------------------------------------------------
# Prints "URI SUITE" lines for every enabled deb source (deb822 and one-line formats).
apt_source_lines() {
  local f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    awk '
      function flush() {
        if (uris != "" && suites != "" && types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false|0)$/) {
          nu = split(uris, U, /[ \t]+/); ns = split(suites, S, /[ \t]+/)
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) if (U[i] != "" && S[j] != "") print U[i], S[j]
        }
        uris = ""; suites = ""; types = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        line = $0; key = tolower(line); sub(/:.*/, "", key); gsub(/[ \t]/, "", key)
        val = line; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
        if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "types") types = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    # deb [opts] URI suite comps...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
  done
  shopt -u nullglob
}

find_mirror() { # suite -> first URI serving it (empty if none)
  apt_source_lines | awk -v s="$1" '$2 == s { print $1; exit }'
}

MIRROR=""
SECURITY_MIRROR=""
resolve_mirrors() {
  MIRROR="${STAGEC_E2E_MIRROR:-$(find_mirror "$SUITE")}"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  SECURITY_MIRROR="${STAGEC_E2E_SECURITY_MIRROR:-$(find_mirror "$SUITE-security")}"
  MIRROR="${MIRROR%/}"; SECURITY_MIRROR="${SECURITY_MIRROR%/}"
}

# --- the base image ------------------------------------------------------------------------
slim_rootfs() { # rootfs — make it look like the official debian:*-slim
  local r="$1"
  mkdir -p "$r/etc/dpkg/dpkg.cfg.d" "$r/etc/apt/apt.conf.d" "$r/etc/apt/sources.list.d"
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# This is the "slim" variant of the Debian base image.
# Many files which are normally unnecessary in containers are excluded,
# and this configuration file keeps them that way.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  echo 'force-unsafe-io' >"$r/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::GzipIndexes "true";' >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # The host's settings that make its mirror usable (snapshot mirrors, proxies).
  apt-config dump 2>/dev/null \
    | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy)( |::)' \
    >"$r/etc/apt/apt.conf.d/99stagec-e2e" || true
  [[ -s "$r/etc/apt/apt.conf.d/99stagec-e2e" ]] || rm -f "$r/etc/apt/apt.conf.d/99stagec-e2e"
  # Sources: same reachable mirror as the host, official deb822 layout.
  rm -f "$r/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" "$SUITE" "$SUITE"
    if [[ -n "$SECURITY_MIRROR" ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$SECURITY_MIRROR" "$SUITE"
    fi
  } >"$r/etc/apt/sources.list.d/debian.sources"
  # Drop what the slim image drops, and caches.
  find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$r"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/* \
    "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* \
    "$r"/var/log/*.log "$r"/var/log/apt/* "$r"/tmp/* 2>/dev/null || true
  : >"$r/etc/resolv.conf" 2>/dev/null || true
  echo "$SUITE-stagec-e2e" >"$r/etc/hostname"
}

ensure_base_image() { # docker-cli
  local d="$1"
  if "$d" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "$BASE_IMAGE present"
    return 0
  fi
  apt_install debootstrap
  resolve_mirrors
  local r="$DIR/rootfs" t
  log "debootstrap --variant=minbase $SUITE $r $MIRROR"
  rm -rf "$r"
  t="$(now)"
  debootstrap --variant=minbase "$SUITE" "$r" "$MIRROR" >"$DIR/debootstrap.log" 2>&1 \
    || { tail -n 30 "$DIR/debootstrap.log" >&2; die "debootstrap failed (log: $DIR/debootstrap.log)"; }
  timing debootstrap "$(elapsed "$t")"
  slim_rootfs "$r"
  t="$(now)"
  tar --numeric-owner -C "$r" -c . | "$d" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null \
    || die "docker import failed"
  timing "docker-import" "$(elapsed "$t")"
  rm -rf "$r"
  log "$BASE_IMAGE imported ($("$d" image inspect -f '{{.Size}}' "$BASE_IMAGE") bytes; apt mirror $MIRROR${SECURITY_MIRROR:+, security $SECURITY_MIRROR})"
}

ensure_buildah_image() { # docker-cli
  command -v buildah >/dev/null || { log "buildah not installed; skipping its base image"; return 0; }
  # `FROM debian:bookworm-slim` in buildah resolves the short name through its alias table to
  # docker.io/library/debian, so that is the name the local image must carry.
  local full="docker.io/library/$BASE_IMAGE"
  if buildah --storage-driver vfs inspect --type image "$full" >/dev/null 2>&1; then
    log "buildah (vfs) has $full"
    return 0
  fi
  local t; t="$(now)"
  # buildah 1.28's docker-daemon: transport ignores DOCKER_HOST (always /var/run/docker.sock),
  # so go through a docker-archive file.
  "$1" save -o "$DIR/base-image.tar" "$BASE_IMAGE" || die "docker save $BASE_IMAGE failed"
  buildah --storage-driver vfs pull -q "docker-archive:$DIR/base-image.tar" >/dev/null \
    || { rm -f "$DIR/base-image.tar"; die "buildah pull docker-archive:$DIR/base-image.tar failed"; }
  rm -f "$DIR/base-image.tar"
  # docker-archive keeps the RepoTag, which buildah may store as localhost/<name>.
  buildah --storage-driver vfs inspect --type image "$full" >/dev/null 2>&1 \
    || buildah --storage-driver vfs tag "localhost/$BASE_IMAGE" "$full" >/dev/null 2>&1 \
    || die "cannot tag $full in buildah's storage"
  timing "buildah-load(docker save | docker-archive)" "$(elapsed "$t")"
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
    # One apt transaction for everything a fresh machine needs (DESIGN §7).
    if [[ $buildah -eq 1 ]]; then apt_install docker.io debootstrap buildah; else apt_install docker.io debootstrap; fi
    start_dockerd
    host="$OWN_HOST"; log "engine: started our dockerd (pid $(cat "$PIDFILE")) at $host"
  fi
  export DOCKER_HOST="$host"
  local d; d="$(any_docker)"
  log "engine version: $("$d" version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
  ensure_base_image "$d"
  if [[ $buildah -eq 1 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then apt_install buildah; fi
    ensure_buildah_image "$d"
  fi
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
      buildah --storage-driver vfs rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
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

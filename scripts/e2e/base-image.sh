#!/usr/bin/env bash
# scripts/e2e/base-image.sh — give an engine the base image the e2e builds use
# (debian:bookworm-slim) without a registry, and copy it into buildah's storage.
#
#   scripts/e2e/base-image.sh DOCKER_CLI [--no-buildah]
#
# Runs against DOCKER_HOST as exported by the caller (engine.sh up). State in
# DIR=${STAGEC_E2E_DIR:-/tmp/stagec-e2e} (rootfs/, debootstrap.log, timings.log).
#
#   1. If the engine has no debian:bookworm-slim: `debootstrap --variant=minbase bookworm
#      DIR/rootfs MIRROR` with MIRROR from the machine's apt sources (deb822
#      /etc/apt/sources.list.d/*.sources, *.list, /etc/apt/sources.list; override with
#      STAGEC_E2E_MIRROR / STAGEC_E2E_SECURITY_MIRROR), slimmed like the official image (same
#      dpkg path-excludes and apt.conf.d/docker-* files, so a Dockerfile that works here works on
#      the real image), apt sources inside pointing at the same mirror and the host's apt
#      Check-Valid-Until/Check-Date/Proxy settings copied in; then `docker import`.
#   2. If buildah is installed (and not --no-buildah): load the image into buildah's vfs storage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG_NAME=base-image.sh
DIR="${STAGEC_E2E_DIR:-/tmp/stagec-e2e}"
BASE_IMAGE="debian:bookworm-slim"
SUITE="bookworm"
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=lib/apt.sh
. "$here/lib/apt.sh"

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

main() {
  local d="${1:-}" buildah=1
  [[ -n "$d" && $# -le 2 && ( $# -eq 1 || "${2:-}" == --no-buildah ) ]] || die "usage: $0 DOCKER_CLI [--no-buildah]"
  [[ $# -eq 1 ]] || buildah=0
  mkdir -p "$DIR"
  ensure_base_image "$d"
  if [[ $buildah -eq 1 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then apt_install buildah; fi
    ensure_buildah_image "$d"
  fi
}

main "$@"

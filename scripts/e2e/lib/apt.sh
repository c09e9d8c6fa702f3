# scripts/e2e/lib/apt.sh — install Debian packages once per run, as root (sourced; needs
# lib/common.sh). `apt-get update` runs at most once per process, and only when something is missing.

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
  mkdir -p "$DIR"
  apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >"$DIR/apt-install.log" 2>&1 \
    || { tail -n 30 "$DIR/apt-install.log" >&2; die "apt-get install ${missing[*]} failed"; }
  timing "apt-install(${missing[*]})" "$(elapsed "$t")"
}

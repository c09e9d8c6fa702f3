#!/usr/bin/env bash
# scripts/e2e/registry.sh — make Debian's docker-registry (distribution 2.8) and openssl available
# for the registry tests (test/e2e/lock.test.ts; helper test/e2e/registry.ts). The tests start
# their own registries on 127.0.0.1 with a config of their own; nothing runs after they end.
# Idempotent; installs only as root on Debian. The package's own service (port 5000) is left
# stopped: the tests never use it.
set -euo pipefail
missing=()
[[ -x "${STAGEC_REGISTRY_BIN:-/usr/bin/docker-registry}" ]] || missing+=(docker-registry)
command -v openssl >/dev/null || missing+=(openssl)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "registry.sh: need ${missing[*]} (as root on Debian: apt-get install ${missing[*]}); the registry tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "registry.sh: apt-get install ${missing[*]}" >&2
# policy-rc.d keeps the package from starting its own registry on :5000 where an init system would.
had_policy=0
[[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
[[ $had_policy -eq 1 ]] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
trap '[[ $had_policy -eq 1 ]] || rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >&2 && apt-get install -y -q "${missing[@]}" >&2; }

#!/usr/bin/env bash
# scripts/e2e/registry.sh — make Debian's docker-registry (distribution 2.8) available for the
# e2e tests that push and pull (test/e2e/build-settings.test.ts; helper test/e2e/registry.ts,
# which starts a registry of its own on 127.0.0.1 per test file). Idempotent; installs only as
# root on Debian; run by scripts/e2e/run.sh, so .ci/run gets it. The package's own service
# (port 5000) is kept from starting: the tests never use it.
set -euo pipefail
[[ -x "${STAGEC_REGISTRY_BIN:-/usr/bin/docker-registry}" ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "registry.sh: need docker-registry (as root on Debian: apt-get install docker-registry); the push tests will fail" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "registry.sh: apt-get install docker-registry" >&2
# policy-rc.d keeps the package from starting its own registry where an init system would.
had_policy=0
[[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
[[ $had_policy -eq 1 ]] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
trap '[[ $had_policy -eq 1 ]] || rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -q docker-registry >/dev/null 2>&1 || { apt-get update -qq >&2 && apt-get install -y -q docker-registry >&2; }

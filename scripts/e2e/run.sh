#!/usr/bin/env bash
# npm run test:e2e — real image builds of every sample service (DESIGN §7).
#
# Provisions an engine with scripts/e2e/engine.sh (reusing one that answers `docker info`,
# else installing Debian's docker.io, debootstrap and buildah and starting dockerd on its own
# socket), runs test/e2e with vitest, and stops the dockerd it started, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/../.."

state="${STAGEC_E2E_DIR:-/tmp/stagec-e2e}"
started_here=0
if [[ ! -f "$state/dockerd.pid" ]] || ! kill -0 "$(cat "$state/dockerd.pid" 2>/dev/null)" 2>/dev/null; then
  started_here=1
fi
teardown() {
  if [[ "$started_here" == 1 && "${STAGEC_E2E_KEEP:-0}" != 1 ]]; then
    bash scripts/e2e/engine.sh down >&2 || true
  fi
}
trap teardown EXIT

bash scripts/e2e/registry.sh   # docker-registry for the registry tests (no engine needed)
eval "$(bash scripts/e2e/engine.sh up)"
export STAGEC_NETWORK=host   # dockerd runs with --bridge=none: RUN needs the host network
npx tsc -b packages/core packages/cli
npx vitest run --config vitest.e2e.config.mts "$@"

#!/usr/bin/env bash
# npm run test:e2e — real image builds of every sample service (README, "End-to-end builds").
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
bash scripts/e2e/engine.sh up >/dev/null
# The engine's settings come from its env file and nowhere else: STAGEC_NETWORK=host is there
# only for an engine that needs it (ours runs with --bridge=none). Variables the tests need but
# the file lacks fail the run here, before any test could fall back to a default.
env_file="$state/env"
[[ -f "$env_file" ]] || { echo "run.sh: engine.sh up wrote no $env_file" >&2; exit 1; }
# shellcheck source=lib/env-file.sh
. scripts/e2e/lib/env-file.sh
mapfile -t missing < <(engine_env_missing "$env_file")
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "run.sh: $env_file is incomplete: no ${missing[*]} (run scripts/e2e/engine.sh up again)" >&2
  exit 1
fi
unset STAGEC_NETWORK
# shellcheck disable=SC1090
. "$env_file"
npx tsc -b packages/core packages/cli
npx vitest run --config vitest.e2e.config.mts "$@"

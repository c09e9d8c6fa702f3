# scripts/e2e/lib/env-file.sh — what the e2e needs from engine.sh's env file (sourced).

# The variables the tests read; STAGEC_NETWORK is optional (only an engine that needs it sets it).
ENGINE_ENV_REQUIRED=(DOCKER_HOST DOCKER_BUILDKIT STAGEC_DOCKER STAGEC_E2E_DIR)

# Prints the required variables that FILE does not export with a value, one a line.
engine_env_missing() { # file
  local v
  for v in "${ENGINE_ENV_REQUIRED[@]}"; do
    grep -Eq "^export $v=.+" "$1" || echo "$v"
  done
}

# scripts/e2e/lib/common.sh — logging and timing shared by engine.sh and base-image.sh (sourced).
# The caller sets LOG_NAME (prefix of log lines) and DIR (state dir, where timings.log goes).

log() { printf '%s: %s\n' "${LOG_NAME:-e2e}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${LOG_NAME:-e2e}" "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
timing() { # step seconds
  log "time: $1 ${2}s"
  mkdir -p "$DIR" && printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$1" "$2" >>"$DIR/timings.log"
}

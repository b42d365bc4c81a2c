# Sourced by the scripts that work in a scratch directory (floor.sh, consumer-test.sh, release-dry-run.sh).
# Usage: scratch_dir <label> <keep-variable-value>: sets $scratch to a new directory under $TMPDIR, removed on
# exit unless the keep value is set, and defines `step <message>`, which prints the label and the seconds since.
scratch_dir() {
  local label="$1" keep="$2"
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/cdk-service-connect-${label}.XXXXXX")"
  if [ -n "$keep" ]; then
    echo "${label}: scratch directory kept in $scratch"
  else
    trap 'rm -rf "$scratch"' EXIT
  fi
  started=$SECONDS
  step_label="$label"
}

step() { echo "${step_label}: $1 ($((SECONDS - started)) s)"; }

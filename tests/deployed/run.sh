#!/usr/bin/env bash
# Checks a deployed API across a real network, without the internet: installs what is missing (setup-packages.sh),
# sets the namespace host up (host.sh: namespace cm-deployed, 10.77.0.2, private CA, varnish, dnsmasq, the app), runs
# tests/deployed/host.spec.ts under `npx playwright test`, and ALWAYS removes what it created (trap), pass or fail.
# Root only (ip netns). Usage: tests/deployed/run.sh   (CM_DEPLOYED_OUTPUT=<dir> keeps each run's output and report)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
"$HERE/setup-packages.sh"
export CM_DEPLOYED_DIR; CM_DEPLOYED_DIR="$(mktemp -d /tmp/cm-deployed.XXXXXX)"
export CM_DEPLOYED_STATE="$CM_DEPLOYED_DIR.state"
cleanup() {
  "$HERE/host.sh" down || true
  rm -rf "$CM_DEPLOYED_DIR" "$CM_DEPLOYED_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$HERE/host.sh" up
cd "$ROOT"
npx playwright test -c tests/deployed/playwright.config.ts

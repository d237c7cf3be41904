#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need, runs every test project,
# and ends with one line "N passed, N failed" summed over all projects from their TRX results.
set -euo pipefail
cd "$(dirname "$0")"

apt_updated=0
# need_apt PACKAGE...: install Debian packages that are missing (later issues: chromium, postgresql).
need_apt() {
  local missing=()
  # "install ok installed" only: a removed package keeps a dpkg record (config-files) that dpkg -s still accepts.
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ $apt_updated -eq 0 ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Browser tests drive Debian's chromium through Playwright (no browser download is possible here).
[ -x /usr/lib/chromium/chromium ] || need_apt chromium

# PostgreSQL tests (the scale-out) start a throwaway cluster with Debian's server binaries.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt postgresql

# S3 tests run against a real S3-compatible server (npm fauxqs) started by the test fixture.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || need_apt nodejs npm
(cd tests/s3-server && npm ci --no-audit --no-fund --silent)

# Browser tests inject axe-core (accessibility checks) into the pages.
(cd tests/browser-tools && npm ci --no-audit --no-fund --silent)

results="TestResults"
rm -rf "$results"
status=0
dotnet test LynqDashboard.sln -c Release --logger "trx;LogFilePrefix=lynq" --results-directory "$results" "$@" || status=$?

passed=0; failed=0; executed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$((total + $(value total)))
  executed=$((executed + $(value executed)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
done

skipped=$((total - executed))
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi

if [ "$executed" -eq 0 ]; then echo "error: no test ran" >&2; exit 1; fi
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi

#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need when it is missing, builds once, runs
# every test project, and ends with one line "N passed, N failed" summed over all projects.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter Category!=Slow]
set -uo pipefail
cd "$(dirname "$0")"

say() { printf '==> %s\n' "$*"; }

# --- What the tests need -------------------------------------------------------------------
# Headless Chromium renders the dashboard in its browser tests.
install_debian_packages() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "Missing: $*. Install them (Debian: sudo apt-get install -y $*); tests that need them are skipped."
    return 0
  fi
  say "Installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$@" >/dev/null; } \
    || say "Could not install $*; tests that need them will fail under CI."
}

# PostgreSQL, Redis and RabbitMQ are run by the process runtime's tests (as child processes of
# the tests; nothing is started as a system service).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
# docker-compose (the client only; no engine is needed) validates the published compose file.
[ -x /usr/bin/docker-compose ] || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] || install_debian_packages "${missing[@]}"

# --- Build once, then test every project -----------------------------------------------------
results=TestResults
rm -rf "$results"
say "Building"
if ! dotnet build Mindora.sln -c Debug --nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

projects=$(dotnet sln Mindora.sln list | grep -E '^tests/.*\.Tests\.csproj$')
say "Testing: $(echo $projects | tr '\n' ' ')"
dotnet test Mindora.sln --no-build -c Debug --nologo --logger trx --results-directory "$results" "$@"
test_exit=$?

# --- Sum the TRX files: CI reads only the last line ------------------------------------------
passed=0; failed=0; skipped=0; reports=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

expected=$(echo "$projects" | grep -c .)
if [ "$reports" -lt "$expected" ]; then
  say "Only $reports of $expected test projects wrote a report: a test host crashed."
  failed=$((failed + expected - reports))
fi
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  say "dotnet test exited with $test_exit without a failed test: counting it as a failure."
  failed=1
fi
[ "$skipped" -eq 0 ] || say "$skipped tests skipped (each says why in the output above)."

# Name each failed test with the head of its message and stack again here, because CI keeps only
# the tail of a long log.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    /<UnitTestResult / { failing = ($0 ~ /outcome="Failed"/); shown = 0
      if (failing) { name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name); print "FAILED: " name } }
    failing && /<(Message|StackTrace)>/ { body = 1 }
    failing && body && shown < 25 { line = $0; gsub(/<\/?(Message|StackTrace|ErrorInfo)>/, "", line); print "    " line; shown++ }
    /<\/(Message|StackTrace)>/ { body = 0 }
    /<\/UnitTestResult>/ { failing = 0 }
  ' "$trx"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

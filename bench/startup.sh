#!/usr/bin/env bash
# Launch-to-all-healthy of the already-built AppHost, median of N runs, cold (empty data
# directory) and warm (the previous run's), against a baseline measured in the same run: the two
# projects started directly, without the AppHost, until both answer /health (the floor any
# orchestrator must add to).
# Usage: bench/startup.sh [runs=5] [runtime=embedded|auto]      Needs: curl, bc.
#   embedded: every service embedded.  auto (no container engine): PostgreSQL, Redis and
#   RabbitMQ as real processes (when installed), the rest as processes when their servers are
#   found (Elasticsearch, Qdrant, MinIO), else embedded.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
runtime=${2:-embedded}
dotnet build Mindora.AppHost -c Debug --nologo -v quiet >/dev/null
apphost=Mindora.AppHost/bin/Debug/net10.0/Mindora.AppHost.dll
api=samples/DocumentProcessor/bin/Debug/net10.0/DocumentProcessor.dll
worker=Mindora.Worker/bin/Debug/net10.0/Mindora.Worker.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Each wait has a deadline, so a process that died makes the run fail instead of hang.
deadline() { (( SECONDS < $1 )) || { echo "timed out: $2" >&2; exit 1; }; }
wait_http() { local end=$((SECONDS + 300)); until curl -fsS -o /dev/null "$1" 2>/dev/null; do deadline "$end" "$1"; sleep 0.02; done; }

apphost_run() {
  local data="$1" log="$work/apphost.log" start end
  start=$(now)
  dotnet "$apphost" --runtime "$runtime" --data-dir "$data" --dashboard-url http://127.0.0.1:0 --unsecured --randomize-ports >"$log" 2>&1 &
  local pid=$!
  local end_by=$((SECONDS + 300))
  until grep -q "resources healthy after" "$log"; do deadline "$end_by" "the AppHost (see $log)"; sleep 0.02; done
  end=$(now)
  kill -TERM "$pid"; wait "$pid" || true   # (background jobs of a script ignore SIGINT)
  echo "$end - $start" | bc
}

baseline_run() {
  local data="$work/baseline" start end api_port=5391 worker_port=5392
  mkdir -p "$data/files" "$data/redis" "$data/search" "$data/postgres" "$data/rabbitmq" "$data/qdrant"
  # Every reference the AppHost gives the two projects, each embedded (the floor: no server to wait for).
  export ConnectionStrings__files="Embedded=$data/files" ConnectionStrings__redis="Embedded=$data/redis" ConnectionStrings__elasticsearch="Embedded=$data/search" \
    ConnectionStrings__db="Embedded=$data/postgres;Database=db" ConnectionStrings__rabbitmq="Embedded=$data/rabbitmq" ConnectionStrings__qdrant="Embedded=$data/qdrant" \
    Mindora__Files__SigningKey=bench-signing-key-0123456789abcdef0123 Mindora__App=docs
  start=$(now)
  (cd samples/DocumentProcessor && ASPNETCORE_URLS=http://127.0.0.1:$api_port exec dotnet "../../$api" >/dev/null 2>&1) &
  local a=$!
  (cd Mindora.Worker && ASPNETCORE_URLS=http://127.0.0.1:$worker_port exec dotnet "../$worker" >/dev/null 2>&1) &
  local w=$!
  wait_http "http://127.0.0.1:$api_port/health"; wait_http "http://127.0.0.1:$worker_port/health"
  end=$(now)
  kill "$a" "$w"; wait "$a" "$w" 2>/dev/null || true
  echo "$end - $start" | bc
}

cold=(); warm=(); base=()
for i in $(seq "$runs"); do
  rm -rf "$work/data"; cold+=("$(apphost_run "$work/data")")
  warm+=("$(apphost_run "$work/data")")
  base+=("$(baseline_run)")
done

c=$(printf '%s\n' "${cold[@]}" | median); w=$(printf '%s\n' "${warm[@]}" | median); b=$(printf '%s\n' "${base[@]}" | median)
echo "runs: $runs, runtime: $runtime"
echo "apphost cold (empty data dir):  median ${c} s   [${cold[*]}]"
echo "apphost warm (kept data dir):   median ${w} s   [${warm[*]}]"
echo "baseline (2 projects directly): median ${b} s   [${base[*]}]"
echo "ratio warm/baseline: $(echo "scale=2; $w / $b" | bc)   cold/baseline: $(echo "scale=2; $c / $b" | bc)"

#!/usr/bin/env bash
# Benchmark of the public catalogue (issue: foundation). Builds the release binary,
# starts `edu24 run` with the demo data, and measures on loopback with wrk, 16
# connections: requests/s and p50/p99 latency of the search page, an institution page,
# the JSON search and a static file (the ceiling); and the warm start time to /readyz.
# Writes bench/results/catalogue.md. Usage: ops/bench/catalogue.sh [seconds per URL]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
PORT="${BENCH_PORT:-18480}"
BASE="http://127.0.0.1:$PORT"
OUT=bench/results/catalogue.md

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
cargo build --release -p edu24-gateway --bin edu24
BIN=target/release/edu24
DATA="$(mktemp -d)"
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT

now_ms() { date +%s%3N; }
start_node() {
  EDU24_DATA_DIR="$DATA" EDU24_HTTP_ADDR="127.0.0.1:$PORT" EDU24_LOG=warn "$BIN" run >"$DATA/run.log" 2>&1 &
  PID=$!
}
wait_ready() {
  until curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; do sleep 0.005; done
}
stop_node() { kill "$PID"; wait "$PID" 2>/dev/null || true; }

# First start creates and seeds the data; then warm starts are timed.
start_node; wait_ready; stop_node
starts=()
for _ in 1 2 3 4 5; do
  t0=$(now_ms); start_node; wait_ready; t1=$(now_ms); starts+=($((t1 - t0))); stop_node
done
warm=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)

start_node; wait_ready
to_ms() { # wrk latency like 812.00us, 1.23ms, 1.01s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
declare -A RPS P50 P99
measure() { # name url
  curl -fsS -o /dev/null "$2" # warm caches
  local out; out="$(wrk -t1 -c16 -d"${DURATION}s" --latency "$2")"
  RPS[$1]=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$out")
  P50[$1]=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  P99[$1]=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers" >&2; exit 1; fi
  echo "$1: ${RPS[$1]} req/s, p50 ${P50[$1]} ms, p99 ${P99[$1]} ms"
}
measure static "$BASE/static/app.css"
measure search_page "$BASE/ru/institutions?q=%D1%83%D0%BD%D0%B8%D0%B2%D0%B5%D1%80%D1%81%D0%B8%D1%82%D0%B5%D1%82"
measure browse_page "$BASE/ky/institutions"
measure institution "$BASE/en/institutions/knu"
measure json_search "$BASE/api/v1/institutions?q=osh&lang=en"

ratio=$(awk -v s="${RPS[static]}" -v p="${RPS[search_page]}" 'BEGIN { printf "%.2f", s / p }')
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "NOT met"; fi; }
mkdir -p "$(dirname "$OUT")"
{
  echo "# Catalogue benchmark"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//'), load generator on the same machine"
  echo "- \`edu24 run\` (release build, embedded: SQLite, in-process bus), demo data (36 institutions, 270 programmes, 247 licences)"
  echo "- wrk: 1 thread, 16 connections, ${DURATION} s per URL, after one warm-up request"
  echo
  echo "| what | URL | requests/s | p50 ms | p99 ms |"
  echo "|---|---|---:|---:|---:|"
  echo "| search page (query) | \`/ru/institutions?q=университет\` | ${RPS[search_page]} | ${P50[search_page]} | ${P99[search_page]} |"
  echo "| search page (browse, 20 of 36) | \`/ky/institutions\` | ${RPS[browse_page]} | ${P50[browse_page]} | ${P99[browse_page]} |"
  echo "| institution page | \`/en/institutions/knu\` | ${RPS[institution]} | ${P50[institution]} | ${P99[institution]} |"
  echo "| JSON search | \`/api/v1/institutions?q=osh\` | ${RPS[json_search]} | ${P50[json_search]} | ${P99[json_search]} |"
  echo "| static file (ceiling) | \`/static/app.css\` | ${RPS[static]} | ${P50[static]} | ${P99[static]} |"
  echo
  echo "Warm start of \`edu24 run\` to a ready \`/readyz\`, median of 5: **${warm} ms** (runs: ${starts[*]} ms)."
  echo
  echo "| target | figure | verdict |"
  echo "|---|---|---|"
  echo "| search page ≥ 5,000 requests/s | ${RPS[search_page]} | $(verdict "${RPS[search_page]} >= 5000") |"
  echo "| search page p99 < 20 ms | ${P99[search_page]} ms | $(verdict "${P99[search_page]} < 20") |"
  echo "| search page within 4x of the static ceiling | ${ratio}x | $(verdict "$ratio <= 4") |"
  echo "| warm start < 2 s | ${warm} ms | $(verdict "$warm < 2000") |"
} >"$OUT"
echo "wrote $OUT"
cat "$OUT"

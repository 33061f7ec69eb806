#!/usr/bin/env bash
# Bounded connections of issue 24 (docs/benchmarks/postgres-pool.md): one `whcctl apply` of an estate of N companies
# (examples/quickstart under other names, domains, usernames, devices and area codes) with WHC_STATE on a throw-away
# PostgreSQL started with max_connections=20, against `whcctl sandbox serve` (its default order timings). Records the
# apply's wall time and exit code, the most whcctl sessions the server had open at once (replayed from its
# log_connections/log_disconnections log, and sampled from pg_stat_activity as a cross-check), connections the server
# refused, the companies in state, and the plan after it (--detailed-exitcode: 0 is "No changes"). Prints a Markdown table row.
#
# Usage: scripts/pool-run.sh [--companies N] [--parallelism N] [--max-connections N] [--whcctl PATH/whcctl.dll] [--keep]
#   --companies        companies in the estate (default 500, the issue's number; at most 1300: 13 area codes x 100 blocks of 10)
#   --parallelism      whcctl's --parallelism (default 8, whcctl's default); the bound checked is parallelism + 3
#   --max-connections  the server's max_connections (default 20)
#   --whcctl           a built whcctl.dll (default: builds src/Whc.Declarative.Cli and uses its Debug output)
#   --keep             keep the work directory (estate, logs of both runs, the server log) and print its path
# Exit code: 0 when the apply succeeded, the plan after it was clean and the peak stayed within parallelism + 3; 1 if not.
# Everything listens on 127.0.0.1 only. Needs: dotnet, PostgreSQL server binaries (initdb, pg_ctl), psql, curl.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

COMPANIES=500 PARALLELISM=8 MAX_CONNECTIONS=20 WHCCTL="${WHCCTL:-}" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --companies) COMPANIES=$2; shift ;;
    --parallelism) PARALLELISM=$2; shift ;;
    --max-connections) MAX_CONNECTIONS=$2; shift ;;
    --whcctl) WHCCTL=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "pool-run: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for value in "$COMPANIES" "$PARALLELISM" "$MAX_CONNECTIONS"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "pool-run: '$value' is not a positive number" >&2; exit 2; }
done
[ "$COMPANIES" -le 1300 ] || { echo "pool-run: at most 1300 companies (the sandbox's number pool)" >&2; exit 2; }

for tool in dotnet psql curl pg_config; do
  command -v "$tool" >/dev/null || { echo "pool-run: '$tool' is needed" >&2; exit 2; }
done
if [ -z "$WHCCTL" ]; then
  dotnet build src/Whc.Declarative.Cli -v q -nologo >/dev/null || { echo "pool-run: build failed" >&2; exit 2; }
  WHCCTL=$(ls "$REPO"/src/Whc.Declarative.Cli/bin/Debug/*/whcctl.dll | head -n1)
fi
[ -f "$WHCCTL" ] || { echo "pool-run: no whcctl.dll at '$WHCCTL'" >&2; exit 2; }
WHCCTL=$(realpath "$WHCCTL")

RUN_NAME=pool-run
# shellcheck source=lib/throwaway-postgres.sh
. "$REPO/scripts/lib/throwaway-postgres.sh"
DATA="$WORK/data"
SANDBOX_PID="" SAMPLER_PID=""


cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null
  [ -f "$DATA/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1
  if [ "$KEEP" = 1 ]; then echo "pool-run: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- PostgreSQL: a throw-away cluster on 127.0.0.1 that logs every session's start and end ----------------------
PGPORT=$(free_port)
pg_init "$DATA"
# log_line_prefix: PostgreSQL 15's default, set anyway because the replay below reads the pid from it.
PGOPTS="-k $WORK -h 127.0.0.1 -p $PGPORT -F -c max_connections=$MAX_CONNECTIONS -c log_connections=on -c log_disconnections=on -c log_line_prefix=%m[%p]"
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -o "$PGOPTS" -w -t 60 start >/dev/null 2>&1 \
  || { cat "$WORK/server.log" >&2; exit 2; }
export WHC_STATE="postgres://whc@127.0.0.1:$PGPORT/postgres?schema=whcpool&workspace=default"

# --- The sandbox (BT) on 127.0.0.1 ------------------------------------------------------------------------------
sandbox_start

# --- The estate: the quickstart company N times, spread over the sandbox's 13 area codes (1000 numbers each) -----
WS="$WORK/ws"
mkdir -p "$WS/estate"
AREA_CODES=(0113 0114 0115 0116 0117 0118 0121 0131 0141 0151 0161 020 01632)
for i in $(seq 1 "$COMPANIES"); do
  name=$(printf 'co-%04d' "$i")
  sed -e '1d' -e "s/name: fun-network/name: $name/" -e "s/TheFunNetwork/PoolCo$i/" -e "s/username: jane.smith/username: jane.$name/" \
      -e "s/thefunnetwork.com/$name.example.com/" -e "s/areaCode: \"0121\"/areaCode: \"${AREA_CODES[$((i % 13))]}\"/" \
      -e "s/00:11:22:AA:BB:CC/$(printf '00:11:22:%02X:%02X:%02X' $((i / 65536 % 256)) $((i / 256 % 256)) $((i % 256)))/" \
      "$REPO/examples/quickstart/company.yaml" >"$WS/estate/$name.yaml"
done
whc() { (cd "$WS" && dotnet "$WHCCTL" "$@"); }
sql() { psql -h 127.0.0.1 -p "$PGPORT" -U whc -d postgres -Atqc "$1" 2>/dev/null; }

# --- The apply, with pg_stat_activity sampled alongside (the log replay below is the exact figure) ---------------
LOG_FROM=$(($(stat -c %s "$WORK/server.log") + 1))
( while :; do sql "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'whcctl%'" >>"$WORK/samples"; sleep 0.2; done ) &
SAMPLER_PID=$!
START=$(date +%s.%N)
whc apply estate --auto-approve --parallelism "$PARALLELISM" >"$WORK/apply.out" 2>"$WORK/apply.err"
APPLY_EXIT=$?
APPLY_WALL=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
SAMPLED_PEAK=$(sort -n "$WORK/samples" 2>/dev/null | tail -n1)
sleep 1 # the last disconnections reach the log

# The most whcctl sessions open at once: from "connection authorized ... application_name=whcctl*" to "disconnection".
read -r PEAK OPENED < <(tail -c +"$LOG_FROM" "$WORK/server.log" | awk '
  /LOG:  connection authorized: .*application_name=whcctl/ { match($0, /\[[0-9]+\]/); pid = substr($0, RSTART, RLENGTH); open[pid] = 1; n++; opened++; if (n > peak) peak = n; next }
  /LOG:  disconnection: / { match($0, /\[[0-9]+\]/); pid = substr($0, RSTART, RLENGTH); if (pid in open) { delete open[pid]; n-- } }
  END { print peak + 0, opened + 0 }')
REFUSED=$(tail -c +"$LOG_FROM" "$WORK/server.log" | grep -c 'too many clients already')
IN_STATE=$(sql "SELECT count(*) FROM whcpool.states" || echo "?")

START=$(date +%s.%N)
whc plan estate --detailed-exitcode --parallelism "$PARALLELISM" >"$WORK/plan.out" 2>"$WORK/plan.err"
PLAN_EXIT=$?
PLAN_WALL=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

BOUND=$((PARALLELISM + 3))
OK=yes
{ [ "$APPLY_EXIT" = 0 ] && [ "$PLAN_EXIT" = 0 ] && [ "$PEAK" -le "$BOUND" ] && [ "$PEAK" -ge 2 ]; } || OK=no
[ "$APPLY_EXIT" = 0 ] || { echo "pool-run: the apply failed (exit $APPLY_EXIT):" >&2; tail -n 20 "$WORK/apply.err" >&2; }
[ "$PLAN_EXIT" = 0 ] || { echo "pool-run: the plan after the apply is not clean (exit $PLAN_EXIT):" >&2; tail -n 20 "$WORK/plan.out" "$WORK/plan.err" >&2; }

echo "| Companies | max_connections | --parallelism | Apply exit | Apply wall (s) | Peak whcctl connections (log) | Bound (P + 3) | Peak sampled | Sessions opened | Refused (too many clients) | Companies in state | Plan after (exit) | Plan wall (s) | OK |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
printf '| %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |\n' "$COMPANIES" "$MAX_CONNECTIONS" "$PARALLELISM" "$APPLY_EXIT" "$APPLY_WALL" \
  "$PEAK" "$BOUND" "${SAMPLED_PEAK:-0}" "$OPENED" "$REFUSED" "$IN_STATE" "$([ "$PLAN_EXIT" = 0 ] && echo "No changes (0)" || echo "$PLAN_EXIT")" "$PLAN_WALL" "$OK"
[ "$OK" = yes ]

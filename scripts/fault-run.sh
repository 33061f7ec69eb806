#!/usr/bin/env bash
# Fault run of issue 24 (docs/reliability.md): concurrent `whcctl apply` runs against a throw-away PostgreSQL on
# 127.0.0.1 and the sandbox on 127.0.0.1, while the database is stopped, restarted, blipped, has its sessions killed,
# turns read-only, runs out of disk, times idle sessions out or freezes, and while whcctl itself is killed with -9.
# Each company is applied by two runs at once, so a lost lock shows as a split brain (a duplicate at BT).
# Then an operator converges every company (plan, push the recovery file a failed run names, force-unlock, apply
# again) and the run counts: applies that succeeded, companies converged, re-runs, manual steps, recovery files,
# duplicates at BT, and plans that say "No changes" while BT holds more than the state. Prints a Markdown table.
#
# Usage: scripts/fault-run.sh [--short] [--seed N] [--applies N] [--companies N] [--rounds N] [--faults a,b,...]
#                             [--whcctl PATH/whcctl.dll] [--keep]
#   --short       4 applies on 2 companies, 1 round of every fault (about 5 minutes on 2 cores). Default (long):
#                 10 applies on 5 companies, 2 rounds of every fault (about 11 minutes). CI runs neither.
#   --faults      any of: none stop restart blip kill-backends kill-lock-holders read-only full-disk idle-timeout
#                 freeze kill9 (default: all; full-disk needs root to mount a small tmpfs and is skipped otherwise)
#   --whcctl      a built whcctl.dll (default: builds src/Whc.Declarative.Cli and uses its Debug output)
#   --keep        keep the work directory (logs of every run, the server log) and print its path
# Everything listens on 127.0.0.1 only. Needs: dotnet, PostgreSQL server binaries (initdb, pg_ctl), psql, curl, jq.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

MODE=long SEED=24 APPLIES="" COMPANIES="" ROUNDS="" FAULTS="" WHCCTL="${WHCCTL:-}" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --short) MODE=short ;;
    --seed) SEED=$2; shift ;;
    --applies) APPLIES=$2; shift ;;
    --companies) COMPANIES=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --faults) FAULTS=$2; shift ;;
    --whcctl) WHCCTL=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "fault-run: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ALL_FAULTS="none stop restart blip kill-backends kill-lock-holders read-only full-disk idle-timeout freeze kill9"
if [ "$MODE" = short ]; then APPLIES=${APPLIES:-4}; ROUNDS=${ROUNDS:-1}; else APPLIES=${APPLIES:-10}; ROUNDS=${ROUNDS:-2}; fi
COMPANIES=${COMPANIES:-$(( (APPLIES + 1) / 2 ))}
FAULTS=${FAULTS:-$ALL_FAULTS}
FAULTS=${FAULTS//,/ }
for kind in $FAULTS; do
  case " $ALL_FAULTS " in *" $kind "*) ;; *) echo "fault-run: unknown fault '$kind' (known: $ALL_FAULTS)" >&2; exit 2 ;; esac
done
RANDOM=$SEED

for tool in dotnet psql curl jq pg_config; do
  command -v "$tool" >/dev/null || { echo "fault-run: '$tool' is needed" >&2; exit 2; }
done
if [ -z "$WHCCTL" ]; then
  dotnet build src/Whc.Declarative.Cli -v q -nologo >/dev/null || { echo "fault-run: build failed" >&2; exit 2; }
  WHCCTL=$(ls "$REPO"/src/Whc.Declarative.Cli/bin/Debug/*/whcctl.dll | head -n1)
fi
[ -f "$WHCCTL" ] || { echo "fault-run: no whcctl.dll at '$WHCCTL'" >&2; exit 2; }
WHCCTL=$(realpath "$WHCCTL")
dotnet "$WHCCTL" --version >/dev/null 2>&1 || { echo "fault-run: '$WHCCTL' does not run" >&2; exit 2; }

RUN_NAME=fault-run
# shellcheck source=lib/throwaway-postgres.sh
. "$REPO/scripts/lib/throwaway-postgres.sh"
FULL_DISK=0
DISK="$WORK/disk"
mkdir -p "$DISK"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256m tmpfs "$DISK" 2>/dev/null; then
  FULL_DISK=1
  chown postgres "$DISK"
fi
DATA="$DISK/data"
SANDBOX_PID=""


cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null
  for pid in $(jobs -p); do kill -9 "$pid" 2>/dev/null; done
  if [ -f "$DATA/postmaster.pid" ]; then
    kill -CONT "$(head -n1 "$DATA/postmaster.pid")" 2>/dev/null
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1
  fi
  [ "$FULL_DISK" = 1 ] && umount "$DISK" 2>/dev/null
  if [ "$KEEP" = 1 ]; then echo "fault-run: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- PostgreSQL: a throw-away cluster on 127.0.0.1 (as the tests start one) -------------------------------------
PGPORT=$(free_port)
pg_init "$DATA"
PGOPTS="-k $WORK -h 127.0.0.1 -p $PGPORT -c max_connections=200 -c max_wal_size=64MB -c min_wal_size=32MB"
pg_start() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -o "$PGOPTS" -w -t 60 start >/dev/null 2>&1; }
pg_stop() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m "$1" -w -t 60 stop >/dev/null 2>&1; }
pg_up() { "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q 2>/dev/null; }
sql() { psql -h 127.0.0.1 -p "$PGPORT" -U whc -d postgres -Atqc "$1" 2>/dev/null; }
pg_start || { cat "$WORK/server.log" >&2; exit 2; }
SCHEMA=whcfault
export WHC_STATE="postgres://whc@127.0.0.1:$PGPORT/postgres?schema=$SCHEMA&workspace=default"

# --- The sandbox (BT) on 127.0.0.1 ------------------------------------------------------------------------------
sandbox_start --seed "$SEED"
sandbox_faults() { curl -fs -X POST -H 'Content-Type: application/json' -d "$1" "$SANDBOX/_sandbox/faults" >/dev/null; }
# Slow, rate-limited BT: runs are in the middle of their calls (and waiting on 429s) when a fault hits.
# About one call a second per run (the bucket is shared by every run: one client id).
BUSY_BT="{\"latency\":{\"fixedMs\":300,\"jitterMs\":300},\"rateLimit\":{\"requestsPerSecond\":$APPLIES,\"burst\":$APPLIES}}"

WS="$WORK/ws"
mkdir -p "$WS/estate" "$WORK/logs"
whc() { (cd "$WS" && dotnet "$WHCCTL" "$@"); }

# One company like examples/quickstart, under its own names (unique across the run: BT refuses reused usernames/MACs).
SERIAL=0
write_company() { # name
  SERIAL=$((SERIAL + 1))
  local mac
  mac=$(printf '00:11:22:%02X:%02X:%02X' $((SERIAL / 65536 % 256)) $((SERIAL / 256 % 256)) $((SERIAL % 256)))
  sed -e '1d' -e "s/name: fun-network/name: $1/" -e "s/TheFunNetwork/FaultCo$SERIAL/" -e "s/username: jane.smith/username: jane.$1/" \
      -e "s/thefunnetwork.com/$1.example.com/" -e "s/00:11:22:AA:BB:CC/$mac/" \
      "$REPO/examples/quickstart/company.yaml" >"$WS/estate/$1.yaml"
  COMPANY_NAME[$1]="FaultCo$SERIAL"
}
declare -A COMPANY_NAME

# --- Faults: each returns once the fault is over (the database is back) -----------------------------------------
SERVER_RESTARTS_NEEDED=0
fault() { # kind, pids of the running applies
  local kind=$1; shift
  case "$kind" in
    none) ;;
    stop) pg_stop fast; sleep 3; pg_start ;;
    restart) pg_stop fast; pg_start ;;
    blip) pg_stop immediate; pg_start ;;  # a crash-restart: well under a second down, every session gone
    kill-backends) sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" >/dev/null ;;
    kill-lock-holders) sql "SELECT count(pg_terminate_backend(backend_pid)) FROM $SCHEMA.locks WHERE workspace = '$WORKSPACE'" >/dev/null ;;
    read-only)
      sql "ALTER SYSTEM SET default_transaction_read_only = on" >/dev/null; sql "SELECT pg_reload_conf()" >/dev/null
      sleep 4
      sql "ALTER SYSTEM RESET default_transaction_read_only" >/dev/null; sql "SELECT pg_reload_conf()" >/dev/null ;;
    idle-timeout)
      sql "ALTER SYSTEM SET idle_session_timeout = '1s'" >/dev/null; sql "SELECT pg_reload_conf()" >/dev/null
      sleep 6
      sql "ALTER SYSTEM RESET idle_session_timeout" >/dev/null; sql "SELECT pg_reload_conf()" >/dev/null ;;
    freeze)
      local postmaster children
      postmaster=$(head -n1 "$DATA/postmaster.pid")
      children=$(pgrep -P "$postmaster" | tr '\n' ' ')
      kill -STOP "$postmaster" $children 2>/dev/null; sleep 4; kill -CONT "$postmaster" $children 2>/dev/null ;;
    full-disk)
      if [ "$FULL_DISK" = 1 ]; then
        dd if=/dev/zero of="$DISK/filler" bs=1M >/dev/null 2>&1
        sleep 4
        rm -f "$DISK/filler"
        sleep 1
        # A server that could not write its WAL has stopped: the operator starts it once there is room again.
        if ! pg_up; then SERVER_RESTARTS_NEEDED=$((SERVER_RESTARTS_NEEDED + 1)); pg_stop immediate; pg_start; fi
      fi ;;
    kill9)
      local pid
      for pid in "$@"; do
        if [ $((RANDOM % 2)) = 0 ]; then kill -9 "$pid" 2>/dev/null; fi
      done ;;
  esac
  pg_up || pg_start
}

# --- Convergence, as an operator following whcctl's messages --------------------------------------------------
# Per company: plan; a failed plan (or changes) with a recovery file for the company -> state push of the newest
# (a manual step); a WHC5001 lock -> force-unlock with the id it names (a manual step); otherwise apply again (a re-run).
converge() { # company, result file
  local company=$1 out=$2 reruns=0 manual=0 refused=0 converged=0 pushed="" log="$WORK/logs/converge-$1.log"
  for _ in 1 2 3 4; do
    whc plan "estate/$company.yaml" --detailed-exitcode >"$log.plan" 2>&1
    local plan=$?
    cat "$log.plan" >>"$log"
    if [ $plan = 0 ]; then converged=1; break; fi
    local newest
    newest=$(ls -t "$WS/.whc/recovery/$company".* 2>/dev/null | head -n1)
    if [ -n "$newest" ] && [ "$newest" != "$pushed" ]; then
      pushed=$newest
      manual=$((manual + 1))
      whc state push "$company" "$newest" >>"$log" 2>&1 || refused=$((refused + 1))
      continue
    fi
    local id
    id=$(grep -o 'lock id [0-9a-f]*' "$log.plan" | head -n1 | awk '{print $3}')
    if [ -n "$id" ]; then
      manual=$((manual + 1))
      whc force-unlock "$company" "$id" >>"$log" 2>&1
      continue
    fi
    reruns=$((reruns + 1))
    whc apply "estate/$company.yaml" --auto-approve --lock-timeout 60s >>"$log" 2>&1
  done
  echo "$converged $reruns $manual $refused" >"$out"
}

# Duplicates at BT for a company: more than one company record, range, site or user for its one of each.
duplicates() { # company name at BT
  curl -fs "$SANDBOX/_sandbox/inventory" | jq --arg n "$1" '
    [.companies[] | select(.companyName == $n)] as $c
    | ([($c | length) - 1, 0] | max)
      + ([([$c[].numberRanges[]] | length) - 1, 0] | max)
      + ([([$c[].sites[]] | length) - 1, 0] | max)
      + ([([$c[].users[]] | length) - 1, 0] | max)'
}

# Ranges BT holds for the company that its state does not name (what "No changes" would hide).
unrecorded() { # company, name at BT
  local state bt
  state=$(whc state pull "$1" 2>/dev/null | jq -r '[.numberBlocks[]?.ranges[]?.startNumber] | sort | .[]' 2>/dev/null)
  bt=$(curl -fs "$SANDBOX/_sandbox/inventory" | jq -r --arg n "$2" '[.companies[] | select(.companyName == $n) | .numberRanges[].startNumber] | sort | .[]')
  comm -13 <(echo "$state" | sed '/^$/d') <(echo "$bt" | sed '/^$/d') | wc -l
}

ROWS=()
T_APPLIES=0 T_OK=0 T_COMP=0 T_CONV=0 T_RERUN=0 T_MANUAL=0 T_REFUSED=0 T_RECOVERY=0 T_DUP=0 T_PHANTOM=0 T_HUNG=0 T_TAKEN=0 T_LOST=0
round_no=0
for kind in $FAULTS; do
  if [ "$kind" = full-disk ] && [ "$FULL_DISK" != 1 ]; then
    ROWS+=("| full-disk | skipped: needs root to mount a 256 MiB tmpfs for the data directory | | | | | | | | | | |")
    continue
  fi
  k_applies=0 k_ok=0 k_comp=0 k_conv=0 k_rerun=0 k_manual=0 k_refused=0 k_recovery=0 k_dup=0 k_phantom=0 k_hung=0 k_taken=0 k_lost=0
  for round in $(seq 1 "$ROUNDS"); do
    round_no=$((round_no + 1))
    companies=()
    for c in $(seq 1 "$COMPANIES"); do
      name="r$round_no-${kind//-/}-$c"
      write_company "$name"
      companies+=("$name")
    done
    # A fresh BT (its number pool would run dry over a long run) and a state workspace of the round's own.
    curl -fs -X POST -H 'Content-Type: application/json' "$SANDBOX/_sandbox/reset" >/dev/null
    WORKSPACE="r$round_no"
    export WHC_STATE="postgres://whc@127.0.0.1:$PGPORT/postgres?schema=$SCHEMA&workspace=$WORKSPACE"
    sandbox_faults "$BUSY_BT"
    pids=()
    for i in $(seq 1 "$APPLIES"); do
      company=${companies[$(( (i - 1) % COMPANIES ))]}
      (cd "$WS" && exec dotnet "$WHCCTL" apply "estate/$company.yaml" --auto-approve --lock-timeout 90s) >"$WORK/logs/$round_no-$kind-$i.log" 2>&1 &
      pids+=($!)
    done
    # The fault hits while the runs hold their locks and call BT: once every company's lock is taken, after a seeded
    # 0-1.9 s more (the second run of each company is then waiting for the lock, as a CI re-run or a second pipeline).
    for _ in $(seq 1 100); do
      [ "$(sql "SELECT count(*) FROM $SCHEMA.locks WHERE workspace = '$WORKSPACE'")" = "$COMPANIES" ] && break
      sleep 0.2
    done
    sleep "$(( RANDOM % 2 )).$(( RANDOM % 10 ))"
    fault "$kind" "${pids[@]}"
    ok=0
    for pid in "${pids[@]}"; do
      waited=0
      while kill -0 "$pid" 2>/dev/null && [ $waited -lt 180 ]; do sleep 1; waited=$((waited + 1)); done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; k_hung=$((k_hung + 1)); fi
      wait "$pid" 2>/dev/null && ok=$((ok + 1))
    done
    sandbox_faults '{}'
    # A lock taken over from a run whose session ended (WHC5008) while that run may still be going; runs that
    # noticed they lost their lock and stopped (WHC5010).
    k_taken=$((k_taken + $(cat "$WORK/logs/$round_no-$kind-"*.log | grep -c 'WHC5008')))
    k_lost=$((k_lost + $(cat "$WORK/logs/$round_no-$kind-"*.log | grep -c 'WHC5010')))
    recovery=0
    for company in "${companies[@]}"; do
      recovery=$((recovery + $(ls "$WS/.whc/recovery/$company".* 2>/dev/null | wc -l)))
    done
    cpids=()
    for company in "${companies[@]}"; do converge "$company" "$WORK/logs/result-$company" & cpids+=($!); done
    wait "${cpids[@]}"
    for company in "${companies[@]}"; do
      read -r conv rerun manual refused <"$WORK/logs/result-$company"
      k_conv=$((k_conv + conv)); k_rerun=$((k_rerun + rerun)); k_manual=$((k_manual + manual)); k_refused=$((k_refused + refused))
      d=$(duplicates "${COMPANY_NAME[$company]}"); k_dup=$((k_dup + ${d:-0}))
      if [ "$conv" = 1 ]; then u=$(unrecorded "$company" "${COMPANY_NAME[$company]}"); k_phantom=$((k_phantom + ${u:-0})); fi
    done
    k_applies=$((k_applies + APPLIES)); k_ok=$((k_ok + ok)); k_comp=$((k_comp + COMPANIES)); k_recovery=$((k_recovery + recovery))
    echo "fault-run: $kind round $round: $ok/$APPLIES applies succeeded, recovery files $recovery" >&2
  done
  ROWS+=("| $kind | $k_applies | $k_ok | $k_taken | $k_lost | $k_conv/$k_comp | $k_rerun | $k_manual | $k_refused | $k_recovery | $k_dup | $k_phantom |")
  T_APPLIES=$((T_APPLIES + k_applies)) T_OK=$((T_OK + k_ok)) T_COMP=$((T_COMP + k_comp)) T_CONV=$((T_CONV + k_conv))
  T_RERUN=$((T_RERUN + k_rerun)) T_MANUAL=$((T_MANUAL + k_manual)) T_REFUSED=$((T_REFUSED + k_refused))
  T_RECOVERY=$((T_RECOVERY + k_recovery)) T_DUP=$((T_DUP + k_dup)) T_PHANTOM=$((T_PHANTOM + k_phantom)) T_HUNG=$((T_HUNG + k_hung))
  T_TAKEN=$((T_TAKEN + k_taken)) T_LOST=$((T_LOST + k_lost))
done

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo
echo "Fault run: commit $commit, mode $MODE, seed $SEED, $APPLIES concurrent applies on $COMPANIES companies (two per company), $ROUNDS round(s) per fault, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1."
echo
echo "| fault | applies | applies succeeded | locks taken over (WHC5008) | runs stopped on a lost lock (WHC5010) | companies converged | re-runs | manual steps | pushes refused | recovery files | duplicates at BT | ranges at BT in no state |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo "| **all** | $T_APPLIES | $T_OK | $T_TAKEN | $T_LOST | $T_CONV/$T_COMP | $T_RERUN | $T_MANUAL | $T_REFUSED | $T_RECOVERY | $T_DUP | $T_PHANTOM |"
echo
echo "Runs killed after 180 s without an end: $T_HUNG. Server starts the operator had to do after a full disk: $SERVER_RESTARTS_NEEDED."

#!/usr/bin/env bash
# Issue 28: whcctl as a native (AOT) executable, the framework-dependent tool (`dotnet whcctl.dll`) and Terraform 1.11,
# side by side on one machine; writes docs/benchmarks/native.md. Run by `bench/run-all.sh native`.
#
# Cases (estates of bench/Whc.Declarative.Plan.Bench: 10 users per company, 14 resources per company):
#   no-change plan of 1, MEDIUM (500) and LARGE (5,000) companies from state; an empty-state plan of MEDIUM companies.
# Each case runs RUNS times under /usr/bin/time: the median wall and CPU (user + system) time, the highest peak RSS, and
# the load average (/proc/loadavg) just before the case. Terraform plans the same estate's twin (as many
# `terraform_data` resources with the same content and the state an apply leaves; TerraformTwin.cs), with
# `-refresh=false` as whcctl runs with `--refresh=false`. Allocations: both whcctl builds write their own at exit when
# WHC_BENCH_ALLOCATIONS names a file (src/Whc.Declarative.Cli/Infrastructure/AllocationReport.cs).
#
# Environment (all optional):
#   WHC_BENCH_DIR            work directory, outside the repository (default ${TMPDIR:-/tmp}/whcctl-native-bench)
#   WHC_BENCH_SIZES          "MEDIUM LARGE" companies (default "500 5000"; "20 100" to try the script quickly)
#   WHC_BENCH_RUNS           runs per whcctl case (default 5)
#   WHC_BENCH_TF_RUNS        runs per Terraform case (default 3)
#   WHC_BENCH_TF_LARGE=1     also run Terraform at LARGE companies, once (long: not measured by default, see the report)
#   WHC_BENCH_TF_LIMIT       seconds after which that run is stopped and recorded as unfinished (default 600)
#   WHC_BENCH_REUSE=1        keep the native executable and estates already in WHC_BENCH_DIR (no publish, no generation)
#   WHC_BENCH_OUTPUT         report path (default docs/benchmarks/native.md)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
dir=${WHC_BENCH_DIR:-${TMPDIR:-/tmp}/whcctl-native-bench}
read -r medium large <<<"${WHC_BENCH_SIZES:-500 5000}"
runs=${WHC_BENCH_RUNS:-5}
tf_runs=${WHC_BENCH_TF_RUNS:-3}
output=${WHC_BENCH_OUTPUT:-docs/benchmarks/native.md}
users=10
case "$dir" in "$repo"|"$repo"/*) echo "WHC_BENCH_DIR must be outside the repository" >&2; exit 2 ;; esac
for tool in /usr/bin/time terraform dotnet; do
  command -v "$tool" >/dev/null || { echo "native-bench: $tool is needed" >&2; exit 2; }
done
mkdir -p "$dir"
# No CLI configuration: terraform_data needs none, and a missing file named by the environment only adds warnings.
export TF_CLI_CONFIG_FILE=/dev/null

fd_dll=$repo/src/Whc.Declarative.Cli/bin/Release/net10.0/whcctl.dll
bench_dll=$repo/bench/Whc.Declarative.Plan.Bench/bin/Release/net10.0/Whc.Declarative.Plan.Bench.dll
native=$dir/native/whcctl

if [[ "${WHC_BENCH_REUSE:-0}" != 1 || ! -x "$native" ]]; then
  echo "== build (Release) and publish the native executable ==" >&2
  dotnet build -c Release src/Whc.Declarative.Cli --nologo -v q
  dotnet build -c Release bench/Whc.Declarative.Plan.Bench --nologo -v q
  # As shipped (issue 28 item 2): a runtime-specific publish is the native executable.
  rm -rf "$dir/native"
  dotnet publish src/Whc.Declarative.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$dir/native" --nologo -v q
fi

estate() { # COMPANIES [--terraform]: writes $dir/estate-N (manifests, state) and with --terraform $dir/tf-N/config
  local n=$1 args=()
  [[ -d "$dir/estate-$n" ]] || args+=(--generate-only "$dir/estate-$n")
  [[ "${2:-}" != --terraform || -d "$dir/tf-$n" ]] || args+=(--terraform "$dir/tf-$n")
  if ((${#args[@]})); then
    echo "== estate of $n companies ==" >&2
    dotnet "$bench_dll" --sizes "$n" --users "$users" --whcctl "$fd_dll" "${args[@]}" >/dev/null
  fi
  if [[ "${2:-}" == --terraform && ! -d "$dir/tf-$n/config/.terraform" ]]; then
    # Only the built-in provider: init downloads nothing.
    terraform -chdir="$dir/tf-$n/config" init -input=false -no-color >/dev/null
  fi
}
if [[ "${WHC_BENCH_REUSE:-0}" != 1 ]]; then
  rm -rf "$dir"/estate-* "$dir"/tf-* "$dir/empty-state"
fi
estate 1 --terraform
estate "$medium" --terraform
if [[ "${WHC_BENCH_TF_LARGE:-0}" == 1 ]]; then estate "$large" --terraform; else estate "$large"; fi
mkdir -p "$dir/empty-state"
if [[ ! -d "$dir/tf-$medium-empty" ]]; then
  mkdir -p "$dir/tf-$medium-empty"
  cp "$dir/tf-$medium/config/"*.tf "$dir/tf-$medium-empty/"
  terraform -chdir="$dir/tf-$medium-empty" init -input=false -no-color >/dev/null
fi

results=$dir/results.tsv
: >"$results"
# children_cpu_ms FILE: the CPU time (user + system) of this shell's finished children, in ms, from `times` output
# saved in FILE. `times` itself must run in this shell (`times >FILE`): in a subshell it counts the subshell's children.
children_cpu_ms() {
  awk 'function ms(t,  m) {m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return (m * 60 + t) * 1000}
    NR == 2 {printf "%d\n", ms($1) + ms($2)}' "$1"
}
# measure CASE TOOL RESOURCES RUNS EXPECTED_EXIT ALLOC(yes/no) COMMAND...: appends one line to $results.
measure() {
  local case=$1 tool=$2 resources=$3 n=$4 expected=$5 alloc=$6
  shift 6
  local load samples=$dir/samples.txt allocated=- exit unfinished=""
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  : >"$samples"
  for ((r = 0; r < n; r++)); do
    rm -f "$dir/allocations.txt"
    exit=0
    # Wall time from the shell's microsecond clock and CPU time from its children's times (ms): /usr/bin/time's own
    # figures have 10 ms steps, too coarse for a run of 70 ms; it still gives the peak RSS.
    local wall_before
    times >"$dir/times-before.txt"
    wall_before=$EPOCHREALTIME
    if [[ $alloc == yes ]]; then
      WHC_BENCH_ALLOCATIONS=$dir/allocations.txt \
        /usr/bin/time -f '%M' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || exit=$?
    else
      /usr/bin/time -f '%M' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || exit=$?
    fi
    local wall_after=$EPOCHREALTIME cpu_after cpu_before
    times >"$dir/times-after.txt"
    cpu_before=$(children_cpu_ms "$dir/times-before.txt")
    cpu_after=$(children_cpu_ms "$dir/times-after.txt")
    if [[ $exit == 124 && $1 == timeout ]]; then
      unfinished=">" # stopped by timeout: the times are lower bounds
    elif [[ $exit != "$expected" ]]; then
      echo "native-bench: $case / $tool exited $exit, expected $expected:" >&2
      tail -20 "$dir/stderr.txt" >&2
      exit 1
    fi
    # One line per run: wall s, CPU s, 0 (kept for the column layout), peak RSS KiB.
    awk -v a="$wall_before" -v b="$wall_after" -v c="$((cpu_after - cpu_before))" -v m="$(tail -1 "$dir/time.txt")" \
      'BEGIN {printf "%.3f %.3f 0 %s\n", b - a, c / 1000, m}' >>"$samples"
    if [[ -s "$dir/allocations.txt" ]]; then allocated=$(cut -d' ' -f1 "$dir/allocations.txt"); fi
  done
  # Medians: a shared machine makes single runs noisy in both directions.
  local wall cpu rss
  local median='{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
  wall=$(awk '{print $1}' "$samples" | sort -g | awk "$median")
  cpu=$(awk '{printf "%.3f\n", $2 + $3}' "$samples" | sort -g | awk "$median")
  rss=$(awk 'BEGIN {m=0} {if ($4 > m) m = $4} END {print m}' "$samples")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$tool" "$resources" "$n" "$unfinished$wall" "$unfinished$cpu" "$rss" "$allocated" "$load" >>"$results"
  printf '%-28s %-10s wall %6ss  CPU %6ss  peak %7s KiB  load %s\n' "$case" "$tool" "$wall" "$cpu" "$rss" "$load" >&2
}

plan_args() { echo plan "$dir/estate-$1/manifests" --refresh=false --state "$2" --detailed-exitcode --no-color; }
tf_plan=(plan -refresh=false -lock=false -input=false -detailed-exitcode -no-color)
resources_of() { echo $(($1 * (4 + users))); }

echo "== measuring (load before: $(cut -d' ' -f1-3 /proc/loadavg)) ==" >&2
started=$(date -u '+%Y-%m-%d %H:%M')
# shellcheck disable=SC2046 # plan_args prints words without spaces in them (paths under $dir)
for size in 1 "$medium" "$large"; do
  measure "no-change plan, $size" native "$(resources_of "$size")" "$runs" 0 yes "$native" $(plan_args "$size" "$dir/estate-$size/state")
  measure "no-change plan, $size" tool "$(resources_of "$size")" "$runs" 0 yes dotnet "$fd_dll" $(plan_args "$size" "$dir/estate-$size/state")
done
# shellcheck disable=SC2046
measure "empty-state plan, $medium" native "$(resources_of "$medium")" "$runs" 2 yes "$native" $(plan_args "$medium" "$dir/empty-state")
# shellcheck disable=SC2046
measure "empty-state plan, $medium" tool "$(resources_of "$medium")" "$runs" 2 yes dotnet "$fd_dll" $(plan_args "$medium" "$dir/empty-state")
measure "no-change plan, 1" terraform "$(resources_of 1)" "$tf_runs" 0 no terraform -chdir="$dir/tf-1/config" "${tf_plan[@]}"
measure "no-change plan, $medium" terraform "$(resources_of "$medium")" "$tf_runs" 0 no terraform -chdir="$dir/tf-$medium/config" "${tf_plan[@]}"
measure "empty-state plan, $medium" terraform "$(resources_of "$medium")" "$tf_runs" 2 no terraform -chdir="$dir/tf-$medium-empty" "${tf_plan[@]}"
if [[ "${WHC_BENCH_TF_LARGE:-0}" == 1 ]]; then
  measure "no-change plan, $large" terraform "$(resources_of "$large")" 1 0 no \
    timeout "${WHC_BENCH_TF_LIMIT:-600}" terraform -chdir="$dir/tf-$large/config" "${tf_plan[@]}"
fi
finished=$(date -u '+%Y-%m-%d %H:%M')

WHC_BENCH_USERS=$users WHC_BENCH_STARTED=$started WHC_BENCH_FINISHED=$finished WHC_BENCH_MEDIUM=$medium WHC_BENCH_LARGE=$large \
  WHC_BENCH_RUNS=$runs WHC_BENCH_TF_RUNS=$tf_runs WHC_BENCH_NATIVE=$native \
  bench/native-report.sh "$results" >"$output"
echo "Written to $output" >&2

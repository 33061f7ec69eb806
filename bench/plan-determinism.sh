#!/usr/bin/env bash
# Reviewed plans across processes (issue 23): RUNS times, add USERS users to each of COMPANIES quick-start companies and
# apply, remove them again, save the plan in one process (`plan --out`) and apply it in another
# (`apply p.json --allow-destroy`), as a pull request's plan job and the merge's apply job do. Every run must apply:
# a plan derived again in another process in another order is refused as altered (WHC4057).
#   bench/plan-determinism.sh [RUNS] [USERS] [COMPANIES]     defaults: 20 3 1
# Writes docs/benchmarks/plan-determinism.md; exits 1 when any run was refused. The CI test
# (tests/Whc.Declarative.Cli.Tests/PlanDeterminismTests.cs) derives one saved plan again in 5 other processes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
users="${2:-3}"
companies="${3:-1}"

dotnet build -c Release src/Whc.Declarative.Cli --nologo -v q >/dev/null
whcctl=(dotnet "$PWD/src/Whc.Declarative.Cli/bin/Release/net10.0/whcctl.dll")
work="$(mktemp -d)"
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"${whcctl[@]}" sandbox serve >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q '^base-url:' "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
base="$(sed -n 's/^base-url: //p' "$work/sandbox.out")"
export WHC_ENDPOINT="$base" WHC_CLIENT_ID=whcctl-sandbox WHC_CLIENT_SECRET=sandbox-secret NO_COLOR=1

# The quick-start company (COMPANIES copies of it, each its own key, name, domain, usernames and MAC address: BT-wide unique), without and with the extra users.
mkdir -p "$work/small" "$work/large"
for c in $(seq -f %02g "$companies"); do
  sed -e "s/name: fun-network/name: fun-network-$c/" -e "s/name: TheFunNetwork/name: TheFunNetwork$c/" \
    -e "s/domain: thefunnetwork.com/domain: fun$c.example.com/" -e "s/username: jane.smith/username: jane.smith$c/" -e "s/00:11:22:AA:BB:CC/00:11:22:AA:BB:$c/" \
    examples/quickstart/company.yaml >"$work/small/company-$c.yaml"
  cp "$work/small/company-$c.yaml" "$work/large/company-$c.yaml"
  for u in $(seq "$users"); do
    cat >>"$work/large/company-$c.yaml" <<EOF
        - { username: extra.user$u.c$c, firstName: Extra, lastName: User$u, extension: "$((2100 + u))", number: { from: brum }, licence: standard }
EOF
  done
done

mkdir -p "$work/repo"
applied=0
refused=0
failed=0
t0=$(date +%s)
for run in $(seq "$runs"); do
  rm -rf "$work/repo/companies"
  cp -r "$work/large" "$work/repo/companies"
  (cd "$work/repo" && "${whcctl[@]}" apply companies --auto-approve -q >/dev/null 2>"$work/setup.err") || { cat "$work/setup.err" >&2; exit 2; }
  rm -rf "$work/repo/companies"
  cp -r "$work/small" "$work/repo/companies"
  (cd "$work/repo" && "${whcctl[@]}" plan companies --out p.json >/dev/null 2>"$work/plan.err") || { cat "$work/plan.err" >&2; exit 2; }
  if (cd "$work/repo" && "${whcctl[@]}" apply p.json --allow-destroy -q >/dev/null 2>"$work/apply.err"); then
    applied=$((applied + 1))
  elif grep -q WHC4057 "$work/apply.err"; then
    refused=$((refused + 1))
  else
    failed=$((failed + 1))
    cat "$work/apply.err" >&2
  fi
  echo "run $run: applied $applied, refused as altered $refused, failed otherwise $failed" >&2
done
seconds=$(( $(date +%s) - t0 ))

mkdir -p docs/benchmarks
cat >docs/benchmarks/plan-determinism.md <<EOF
# Reviewed plans applied from another process

\`bench/plan-determinism.sh $runs $users $companies\` (issue 23): $runs times, $users users are added to each of $companies
quick-start companies and applied, then removed from the manifests; one process saves the plan (\`plan --out\`) and
another applies it (\`apply p.json --allow-destroy\`), which derives the plan again and refuses it (WHC4057) unless it is
the same. Each whcctl is a process of its own, with its own string-hash seed.

| companies | users removed from each | runs | applied | refused as altered (WHC4057) | failed otherwise | seconds |
|---:|---:|---:|---:|---:|---:|---:|
| $companies | $users | $runs | $applied | $refused | $failed | $seconds |

Measured $(date -u +%Y-%m-%d) with whcctl $("${whcctl[@]}" --version | awk '{print $2}'), Release build, $(nproc) cores, on a
served sandbox. Before the fix (up to commit 7fee290, the planner walking hash-ordered maps) the same steps by hand were
refused 4 times in 4 (the issue saw 4 in 5): the order of the ceased users changed with each process's hash seed.
EOF
cat docs/benchmarks/plan-determinism.md
[ "$refused" -eq 0 ] && [ "$failed" -eq 0 ]

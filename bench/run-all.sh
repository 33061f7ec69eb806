#!/usr/bin/env bash
# Builds Release and runs every benchmark; each writes its report under docs/benchmarks/.
#   bench/run-all.sh            all of them (a quarter of an hour or more in all)
#   bench/run-all.sh plan       only one of: sandbox, plan, plan-r2r, apply, import, native
#   bench/run-all.sh native     whcctl native (AOT) vs the framework-dependent tool vs Terraform 1.11 (issue 28;
#                               docs/benchmarks/native.md; settings in bench/native-bench.sh); the longest: it
#                               publishes the native executable and Terraform plans 7,000 resources several times.
set -euo pipefail
cd "$(dirname "$0")/.."
only="${1:-all}"

dotnet build -c Release src/Whc.Declarative.Cli --nologo -v q
dotnet build -c Release bench/Whc.Declarative.Sandbox.LoadBench --nologo -v q
dotnet build -c Release bench/Whc.Declarative.Plan.Bench --nologo -v q
dotnet build -c Release bench/Whc.Declarative.Apply.Bench --nologo -v q

if [[ "$only" == all || "$only" == sandbox ]]; then
  echo "== sandbox load ==" >&2
  dotnet run -c Release --no-build --project bench/Whc.Declarative.Sandbox.LoadBench -- \
    --clients 16 --seconds 10 --warmup 2 --output docs/benchmarks/sandbox-load.md
fi

if [[ "$only" == all || "$only" == plan ]]; then
  echo "== plan scale ==" >&2
  dotnet run -c Release --no-build --project bench/Whc.Declarative.Plan.Bench -- \
    --sizes 50,100,250,500 --users 10 --runs 7 \
    --whcctl src/Whc.Declarative.Cli/bin/Release/net10.0/whcctl.dll --output docs/benchmarks/plan-scale.md
fi

if [[ "$only" == all || "$only" == plan-r2r ]]; then
  # The same estate with whcctl published ReadyToRun for this platform, the install recommended for large estates
  # (docs/cli.md): most of a cold run's time is otherwise JIT compilation.
  echo "== plan scale, ReadyToRun ==" >&2
  dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    src/Whc.Declarative.Cli -o artifacts/whcctl-r2r --nologo -v q
  dotnet run -c Release --no-build --project bench/Whc.Declarative.Plan.Bench -- \
    --sizes 50,100,250,500 --users 10 --runs 7 \
    --whcctl artifacts/whcctl-r2r/whcctl.dll --output docs/benchmarks/plan-scale-r2r.md
fi

if [[ "$only" == all || "$only" == apply ]]; then
  echo "== apply ==" >&2
  dotnet run -c Release --no-build --project bench/Whc.Declarative.Apply.Bench -- \
    --companies 50 --users 10 --latency 50 --acknowledge 200 --progress 200 --parallelism 8,16,32 --repeat 3 \
    --output docs/benchmarks/apply.md
fi

if [[ "$only" == all || "$only" == import ]]; then
  echo "== bulk import ==" >&2
  bench/import-bench.sh 200 50 8
fi

if [[ "$only" == all || "$only" == native ]]; then
  echo "== native vs tool vs Terraform ==" >&2
  bench/native-bench.sh
fi

#!/usr/bin/env bash
# Issue 28 item 3: publishes the native (AOT) executable to a temporary directory outside the checkout and runs the
# end-to-end CLI stories against it: the Cli tests of trait Category=CliStory, which start whcctl as a child process,
# with WHC_CLI_EXECUTABLE naming the native executable instead of `dotnet whcctl.dll`. .ci/run calls it after the
# whole test run; the test project must be built (Debug) already. Needs clang and zlib's headers (.ci/run installs them).
# Usage: scripts/native-stories.sh   Exit 0: published and every story passed; otherwise the failing step's exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

native="$(mktemp -d "${TMPDIR:-/tmp}/whcctl-native.XXXXXX")"
trap 'rm -rf "$native"' EXIT
started=$SECONDS

# Warnings are errors here as in every build: a trim or AOT warning from any assembly fails the publish (docs/aot.md).
dotnet publish src/Whc.Declarative.Cli -c Release -r linux-x64 -p:PublishAot=true \
  -o "$native" -v q -nologo
published=$SECONDS
echo "native-stories: published $native/whcctl in $((published - started)) s"

WHC_CLI_EXECUTABLE="$native/whcctl" dotnet test tests/Whc.Declarative.Cli.Tests --no-build --filter Category=CliStory
echo "native-stories: stories passed against the native executable in $((SECONDS - published)) s (all: $((SECONDS - started)) s)"

#!/usr/bin/env bash
# Installs whcctl for the composite action (action.yml) into $RUNNER_TEMP/whcctl-tool and adds that to $GITHUB_PATH.
# Inputs come as environment variables (action.yml sets them from its inputs):
#   WHCCTL_VERSION      release X.Y.Z (never empty, never "latest")
#   WHCCTL_PACKAGE      binary (the native executable for the runner's OS/arch) or tool (the framework-dependent .NET
#                       tool package whcctl.any: any OS with the .NET SDK)
#   WHCCTL_REPOSITORY   owner/name holding the releases; empty = the repository this action was taken from
#   WHCCTL_FROM_SOURCE  true = pack the checked-out source instead
#   WHCCTL_RELEASE_DIR  a folder holding the release's assets (a mirror, or the tests); empty = download with gh
# The asset and SHA256SUMS are checked with `sha256sum --check`: a missing line or another digest fails the install.
set -euo pipefail

tool_path="$RUNNER_TEMP/whcctl-tool"
exe=whcctl
if [ "$RUNNER_OS" = Windows ]; then exe=whcctl.exe; fi

fail() {
  echo "::error title=whcctl install::$1"
  exit 1
}

if [ "${WHCCTL_FROM_SOURCE:-false}" = true ]; then
  feed="$RUNNER_TEMP/whcctl-feed"
  # The framework-dependent package (whcctl.any): no Native AOT compile on every run.
  dotnet pack "$GITHUB_WORKSPACE/src/Whc.Declarative.Cli/Whc.Declarative.Cli.csproj" -c Release -r any -o "$feed" --nologo
  dotnet tool install --tool-path "$tool_path" --add-source "$feed" whcctl.any
else
  version="${WHCCTL_VERSION:-}"
  if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    fail "'$version' is not a release version (X.Y.Z); pin one, never 'latest'"
  fi
  package="${WHCCTL_PACKAGE:-binary}"
  case "$package/$RUNNER_OS/$RUNNER_ARCH" in
    tool/*) asset="whcctl.any.$version.nupkg" ;;
    binary/Linux/X64) asset="whcctl-$version-linux-x64" ;;
    binary/Linux/ARM64) asset="whcctl-$version-linux-arm64" ;;
    binary/macOS/ARM64) asset="whcctl-$version-osx-arm64" ;;
    binary/Windows/X64) asset="whcctl-$version-win-x64.exe" ;;
    *) fail "no whcctl '$package' for $RUNNER_OS/$RUNNER_ARCH; use package: tool (any OS with the .NET SDK)" ;;
  esac

  download="$RUNNER_TEMP/whcctl-download"
  rm -rf "$download"
  mkdir -p "$download"
  if [ -n "${WHCCTL_RELEASE_DIR:-}" ]; then
    echo "Taking $asset and SHA256SUMS from $WHCCTL_RELEASE_DIR"
    cp "$WHCCTL_RELEASE_DIR/$asset" "$WHCCTL_RELEASE_DIR/SHA256SUMS" "$download/" || fail "$WHCCTL_RELEASE_DIR lacks $asset or SHA256SUMS"
  else
    repository="${WHCCTL_REPOSITORY:-}"
    if [ -z "$repository" ]; then
      # A remote action runs from <runner>/_actions/OWNER/NAME/REF/.github/actions/whcctl; a local one
      # (uses: ./.github/actions/whcctl) from this repository.
      case "${GITHUB_ACTION_PATH:-}" in
        */_actions/*/*/*/.github/actions/whcctl)
          rest="${GITHUB_ACTION_PATH#*/_actions/}"
          repository="$(echo "$rest" | cut -d/ -f1)/$(echo "$rest" | cut -d/ -f2)"
          ;;
        *) repository="$GITHUB_REPOSITORY" ;;
      esac
    fi
    echo "Downloading $asset and SHA256SUMS from release v$version of $repository"
    gh release download "v$version" --repo "$repository" --dir "$download" --pattern "$asset" --pattern SHA256SUMS
  fi

  # Exactly one line for this asset, then sha256sum itself compares the digest.
  awk -v f="$asset" '$2 == f || $2 == "*" f' "$download/SHA256SUMS" > "$download/asset.sha256"
  if [ "$(wc -l < "$download/asset.sha256")" -ne 1 ]; then
    fail "SHA256SUMS of v$version has no single line for $asset"
  fi
  (cd "$download" && sha256sum --check --strict asset.sha256) || fail "$asset does not match its SHA-256 in SHA256SUMS: not installed"

  mkdir -p "$tool_path"
  if [ "$package" = tool ]; then
    # Only this folder is a source: nuget.org or any other configured feed cannot supply a package named whcctl.any.
    printf '%s\n' '<configuration><packageSources><clear />' \
      "<add key=\"whcctl-release\" value=\"$download\" />" '</packageSources></configuration>' > "$download/nuget.config"
    dotnet tool install --tool-path "$tool_path" --configfile "$download/nuget.config" whcctl.any --version "$version"
  else
    install -m 755 "$download/$asset" "$tool_path/$exe"
  fi
fi

echo "$tool_path" >> "$GITHUB_PATH"
"$tool_path/$exe" --version

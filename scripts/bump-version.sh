#!/usr/bin/env bash
# Sets the release version everywhere it is pinned, before tagging vX.Y.Z (release.yml refuses a tag that differs):
# the project's <Version>, the composite action's `version` default (the release the action at that commit installs)
# and the tag comment on the action line of templates/gitops-repo's workflows.
# Usage: scripts/bump-version.sh X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: scripts/bump-version.sh X.Y.Z" >&2
  exit 2
fi
sed -i "s:<Version>[^<]*</Version>:<Version>$version</Version>:" src/Whc.Declarative.Cli/Whc.Declarative.Cli.csproj
sed -i "s/^    default: \"[^\"]*\" # VERSION:/    default: \"$version\" # VERSION:/" .github/actions/whcctl/action.yml
sed -i "s#\(uses: YOUR-ORG/whcctl/.github/actions/whcctl@[0-9a-f]\{40\}\) \# v.*#\1 \# v$version#" templates/gitops-repo/.github/workflows/*.yml
git --no-pager diff --stat
echo "Commit, then: git tag v$version && git push origin v$version"

#!/usr/bin/env bash
# Generates templates/gitops-repo/.github/workflows from this repository's own whcctl workflows, so the template a
# reseller copies has the same apply semantics (docs/gitops.md) and can never drift from them. Run it after changing
# any of those workflows and commit both; GitOpsTemplateTests fails when the committed template differs.
# The only differences, line for line:
#   - the install step: the whcctl action of the release, pinned by full commit SHA (the placeholder the template's
#     README explains, tagged with the project's <Version>), instead of this repository's action building from source;
#   - the manifests: `companies/**` and WHCCTL_MANIFESTS=companies instead of this repository's examples;
#   - WHC_ENDPOINT: testa (BT's test environment) instead of the embedded sandbox, which forgets everything between jobs.
# Usage: scripts/sync-template.sh [OUT_DIR]   (default: templates/gitops-repo; files go to OUT_DIR/.github/workflows)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-templates/gitops-repo}/.github/workflows"
version=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' src/Whc.Declarative.Cli/Whc.Declarative.Cli.csproj | head -n 1)
if [ -z "$version" ]; then
  echo "sync-template: no <Version> in src/Whc.Declarative.Cli/Whc.Declarative.Cli.csproj" >&2
  exit 1
fi
pin="YOUR-ORG/whcctl/.github/actions/whcctl@0000000000000000000000000000000000000000 # v$version"
mkdir -p "$out"
for name in whcctl-plan whcctl-apply whcctl-drift whcctl-fanout; do
  sed \
    -e '/^ *# This repository runs its own commit (built from source); a copy elsewhere installs the pinned,$/d' \
    -e '/^ *# checksum-verified release instead (templates\/gitops-repo)\.$/d' \
    -e 's|^\( *\)- name: Install whcctl$|\1# REPLACE the placeholder SHA with the full commit SHA of the whcctl release tag you use (README.md).\n\1- name: Install whcctl (pinned release, checksum verified)|' \
    -e "s|^\\( *\\)uses: \\./\\.github/actions/whcctl\$|\\1uses: $pin|" \
    -e '/^ *with:$/{N;/\n *build-from-source: "true"$/d}' \
    -e '/^ *- "examples\/\*\*"$/d' \
    -e 's|^\(  WHCCTL_MANIFESTS:\) examples\(/quickstart\)\{0,1\}$|\1 companies|' \
    -e 's|^\(  WHC_ENDPOINT:\) sandbox # testa or production when you use it for real$|\1 testa # testa (BT'"'"'s test environment) or production|' \
    ".github/workflows/$name.yml" > "$out/$name.yml"
done
# Every install step must have become the pinned action, and nothing may still point at this repository's examples.
if grep -n -e '\./\.github/actions/whcctl' -e 'build-from-source' -e 'examples' -e 'WHC_ENDPOINT: sandbox' "$out"/whcctl-*.yml >&2; then
  echo "sync-template: the lines above were not rewritten; update scripts/sync-template.sh" >&2
  exit 1
fi

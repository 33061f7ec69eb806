#!/usr/bin/env bash
# Fails when the tests left the git working tree changed: a rewritten baseline or README, or a new file outside the
# ignored paths (.gitignore). Run it as `check-clean-tree.sh before` ahead of the tests and `check-clean-tree.sh after`
# once they pass (.ci/run does). Outside a git work tree (a source tarball) there is nothing to compare: it says so and
# exits 0.
# A checkout that was clean before is held to `git diff --exit-code` and no untracked files; one that already had
# changes (a developer's tree) is held to "the tests changed nothing more", compared with a snapshot taken before.
# Exit 0: unchanged (or not a git checkout); 1: the tests changed the tree; 2: wrong usage.
set -euo pipefail

mode="${1:-}"
snapshot="${CLEAN_TREE_SNAPSHOT:-${TMPDIR:-/tmp}/whcctl-clean-tree-$(id -u)-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)}"

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-clean-tree: not inside a git work tree; the clean-tree check is skipped" >&2
  exit 0
fi

state() {
  # Tracked changes (content included) and untracked, not ignored, files.
  git diff HEAD --no-ext-diff --binary
  git ls-files --others --exclude-standard
}

case "$mode" in
  before)
    if [ -z "$(git status --porcelain)" ]; then
      echo clean >"$snapshot"
    else
      echo "check-clean-tree: the tree has changes before the tests; only changes the tests make will be reported" >&2
      state | cksum >"$snapshot"
    fi
    ;;
  after)
    before="$(cat "$snapshot" 2>/dev/null || echo clean)"
    rm -f "$snapshot"
    if [ "$before" = clean ]; then
      untracked="$(git ls-files --others --exclude-standard)"
      if ! git diff --exit-code --stat >&2 || [ -n "$untracked" ]; then
        [ -z "$untracked" ] || printf 'untracked files left by the tests:\n%s\n' "$untracked" >&2
        echo "check-clean-tree: the tests changed the working tree (above); a test may write only under ignored paths or temporary directories, and baselines only with WHC_UPDATE_BASELINES=1" >&2
        exit 1
      fi
    elif [ "$(state | cksum)" != "$before" ]; then
      git status --short >&2
      echo "check-clean-tree: the tests changed the working tree (it had changes before; git status above shows all of them)" >&2
      exit 1
    fi
    echo "check-clean-tree: the tests left the working tree as they found it" >&2
    ;;
  *)
    echo "usage: check-clean-tree.sh before|after" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Writes DIR/go.mod (and go.sum) for a wrapper module that builds an upstream Go program at an exact
# version. `go install module@version` refuses modules whose go.mod has replace directives, so the
# wrapper requires the module and copies upstream's replace directives, except those pointing into
# upstream's own tree (=> ./api and the like: those packages come from their published modules).
# Usage: tools/wrap-gomod.sh DIR MODULE VERSION [--tool] [OLD=NEW@VERSION ...]
#   --tool        add a `tool MODULE` line (build it with `go build MODULE`)
#   OLD=NEW@V     extra replace directives (e.g. a version the module proxy does not serve)
# Run with the Go toolchain the module needs (GOTOOLCHAIN=...).
set -euo pipefail
dir=$1 module=$2 version=$3; shift 3
cd "$dir"
upstream=$(go mod download -json "${module}@${version}" | jq -r .GoMod)
rm -f go.mod go.sum
go mod init "localtools/$(basename "$PWD")" 2>/dev/null
go mod edit -go="$(go mod edit -json "$upstream" | jq -r .Go)" -require="${module}@${version}"
while read -r replace; do go mod edit -replace="$replace"; done < <(go mod edit -json "$upstream" | jq -r '
  .Replace // [] | .[] | select(.New.Path | startswith("./") or startswith("../") | not)
  | "\(.Old.Path)\(if .Old.Version then "@" + .Old.Version else "" end)=\(.New.Path)@\(.New.Version)"')
for arg in "$@"; do
  case $arg in
    --tool) go mod edit -tool="$module" ;;
    *) go mod edit -replace="$arg" ;;
  esac
done
# -e: tidy also resolves the test imports of the tool's packages, and the proxy does not serve every
# test-only module (403); the build never needs them.
go mod tidy -e

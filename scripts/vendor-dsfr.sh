#!/usr/bin/env bash
# Refresh static/vendor/dsfr/ from the @gouvfr/dsfr npm package (npm pack runs no install script).
# Usage: scripts/vendor-dsfr.sh [VERSION]   (default: the latest 1.15.x)
set -euo pipefail
version="${1:-1.15}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor/dsfr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@gouvfr/dsfr@$version" >/dev/null && tar xzf gouvfr-dsfr-*.tgz)
dist="$work/package/dist"
exact="$(node -p "require('$work/package/package.json').version")"

rm -rf "$dest"
mkdir -p "$dest/utility"
cp "$dist/dsfr.min.css" "$dist/dsfr.module.min.js" "$dist/dsfr.nomodule.min.js" "$dest/"
cp -r "$dist/fonts" "$dist/icons" "$dist/favicon" "$dest/"
# Only the minified icon stylesheets: the SVGs they point to live in icons/.
(cd "$dist/utility" && find icons -name '*.min.css' -exec cp --parents {} "$dest/utility/" \;)
cp "$work/package/LICENSE.md" "$dest/LICENSE.md"
echo "$exact" > "$dest/VERSION"
echo "DSFR $exact vendored into ${dest#"$root"/}"

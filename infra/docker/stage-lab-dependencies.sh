#!/usr/bin/env bash
# Stages the lab's production dependencies (npm ci --omit=dev) in infra/docker/build/lab for the
# built flavor's lab image (git-ignored). On the host rather than in the build: the host's npm
# reaches the registry (and has its cache), a container build here cannot (its TLS is not trusted
# inside images). The lab's dependencies are pure JavaScript, plus esbuild's static linux-x64 binary.
#
#   infra/docker/stage-lab-dependencies.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'lab-dependencies: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

stage="$PWD/infra/docker/build/lab"
stamp="$(cat package.json package-lock.json | sha256sum | cut -c1-16)"
if [ -f "$stage/STAGED" ] && [ "$(cat "$stage/STAGED")" = "$stamp" ]; then
  say "$stage is current (package files $stamp)"
  exit 0
fi
command -v npm >/dev/null 2>&1 || die "no npm on PATH"

started=$(date +%s)
mkdir -p "$(dirname "$stage")"
partial="$(mktemp -d "$stage.partial.XXXXXX")"
trap 'rm -rf "$partial"' EXIT
cp package.json package-lock.json "$partial/"
(cd "$partial" && npm ci --omit=dev --no-audit --no-fund --loglevel=warn --prefer-offline >&2) || die "npm ci --omit=dev failed"
rm -f "$partial/package.json" "$partial/package-lock.json"
printf '%s\n' "$stamp" >"$partial/STAGED"
chmod 755 "$partial"
rm -rf "$stage"
mv "$partial" "$stage"
say "staged $(du -sh "$stage" | cut -f1) in $stage ($(($(date +%s) - started)) s)"

#!/usr/bin/env bash
# Everything the built flavor needs before `docker compose ... up --build`, each step skipped when
# already done: the debootstrap base images, the staged JVM jars and the staged node_modules.
#
#   infra/docker/prepare-built-flavor.sh
#   docker compose -f docker-compose.yml -f docker-compose.built.yml up -d --wait
set -euo pipefail
here="$(dirname "$0")"
for step in make-base-image.sh stage-jvm-dist.sh stage-lab-dependencies.sh; do
  started=$(date +%s)
  "$here/$step"
  printf 'prepare: %s took %s s\n' "$step" "$(($(date +%s) - started))" >&2
done

#!/usr/bin/env bash
# Stages the JVM jars for the built flavor's Kafka and Connect images in infra/docker/build/jvm,
# their build context (git-ignored). The jars are the ones the local runtime runs: resolved by
# Maven from infra/jvm/pom.xml into the same cache (see services/runtime/local/jvm-dist.ts), so
# a machine that ran `cdc-es-lab up` once copies them without asking Maven Central again.
#
#   infra/docker/stage-jvm-dist.sh
#
# One jar beyond the pom's: kafka-tools (same version), for kafka-broker-api-versions.sh, which
# the compose healthcheck of both flavors runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'jvm-dist: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

pom=infra/jvm/pom.xml
stage="$PWD/infra/docker/build/jvm"
kafka_version="$(sed -n 's:.*<kafka.version>\([^<]*\)</kafka.version>.*:\1:p' "$pom")"
[ -n "$kafka_version" ] || die "$pom has no <kafka.version>"
# The same key as jvm-dist.ts: the pom's sha256, first 16 hex digits.
key="$(sha256sum "$pom" | cut -c1-16)"
cache_root="${LAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cdc-es-lab}"
dist="$cache_root/jvm/$key"
# What the staged folder was made from: unchanged inputs stage nothing again.
stamp="pom $key; conf $(sha256sum <infra/jvm/conf/log4j2.properties | cut -c1-16)"

if [ -f "$stage/STAGED" ] && [ "$(cat "$stage/STAGED")" = "$stamp" ]; then
  say "$stage is current ($stamp)"
  exit 0
fi

mvn_run() {
  command -v mvn >/dev/null 2>&1 || die "no mvn on PATH (apt-get install maven); it resolves the jars once"
  local log
  log="$(mktemp)"
  mvn -B --no-transfer-progress "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; rm -f "$log"; die "mvn $* failed"; }
  rm -f "$log"
}

started=$(date +%s)
if [ ! -f "$dist/COMPLETE" ]; then
  # Filled as jvm-dist.ts fills it: built beside, marked COMPLETE, then renamed into place.
  say "resolving Kafka $kafka_version and Debezium with Maven into $dist (first time on this machine)"
  partial="$dist.partial-$$"
  rm -rf "$partial"
  mkdir -p "$(dirname "$dist")"
  mvn_run -f "$pom" package "-Ddist.dir=$partial"
  [ -d "$partial/plugins/debezium-connector-postgres" ] || die "Maven finished but $partial has no Debezium plugin"
  date -u +%FT%TZ >"$partial/COMPLETE"
  if [ -f "$dist/COMPLETE" ]; then rm -rf "$partial"; else rm -rf "$dist"; mv "$partial" "$dist"; fi
fi

rm -rf "$stage"
mkdir -p "$stage/conf" "$stage/tools"
# -p keeps times, so Docker's layer cache sees the same files as the same files.
cp -rp "$dist/libs" "$stage/libs"
cp -rp "$dist/plugins" "$stage/plugins"
cp -p infra/jvm/conf/log4j2.properties "$stage/conf/log4j2.properties"
mvn_run -f "$pom" "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy" \
  "-Dartifact=org.apache.kafka:kafka-tools:$kafka_version" "-DoutputDirectory=$stage/tools"
printf '%s\n' "$stamp" >"$stage/STAGED"
say "staged $(du -sh "$stage" | cut -f1) in $stage ($(($(date +%s) - started)) s)"

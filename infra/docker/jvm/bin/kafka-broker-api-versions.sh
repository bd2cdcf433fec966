#!/usr/bin/env bash
# The compose healthcheck of both flavors runs this (apache/kafka ships the same script), every
# few seconds for the container's life: a JVM start each time. Its classes are archived (CDS) by
# the first run that succeeds, which halves the CPU of every later check (about 0.9 s to 0.45 s).
set -euo pipefail
archive=/tmp/kafka-broker-api-versions.jsa
if [ -s "$archive" ]; then
  KAFKA_TOOL_OPTS="${KAFKA_TOOL_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off" \
    exec kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
fi
# Written aside and renamed: a check that fails, or runs beside another, leaves no archive behind.
partial="$archive.$$"
status=0
KAFKA_TOOL_OPTS="${KAFKA_TOOL_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -XX:ArchiveClassesAtExit=$partial -Xlog:cds=off -Xlog:cds+dynamic=off" \
  kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@" || status=$?
if [ "$status" -eq 0 ] && [ -s "$partial" ]; then mv -f "$partial" "$archive"; else rm -f "$partial"; fi
exit "$status"

#!/usr/bin/env bash
# Runs a class with Kafka's libraries (and kafka-tools, in the kafka image), as Kafka's own
# script of this name does. The command-line tools below are thin wrappers around it.
set -euo pipefail
class="$1"
shift
classpath="/opt/kafka/libs/*"
if [ -d /opt/kafka/tools ]; then classpath="$classpath:/opt/kafka/tools/*"; fi
# A short-lived client: a small heap and the quick compiler start it in about a second.
# shellcheck disable=SC2086 # KAFKA_TOOL_OPTS is a list of JVM flags
exec java ${KAFKA_TOOL_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto} \
  -Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties -cp "$classpath" "$class" "$@"

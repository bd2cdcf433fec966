#!/usr/bin/env bash
# One Kafka node in KRaft mode, configured as apache/kafka is: every KAFKA_* variable becomes a
# server property (KAFKA_ dropped, lower case, `___` -> `-`, `__` -> `_`, `_` -> `.`), except the
# JVM option variables; CLUSTER_ID formats the storage on first start. Any other command runs as given.
set -euo pipefail

if [ $# -gt 0 ]; then exec "$@"; fi

config=/opt/kafka/config/server.properties
: "${CLUSTER_ID:?CLUSTER_ID must be set: the KRaft cluster id, 22 characters of base64url (as for apache/kafka)}"

# Variables for the JVM and this image, never server properties (apache/kafka skips the same).
is_jvm_variable() {
  case "$1" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS | KAFKA_JMX_OPTS | KAFKA_LOG4J_* | KAFKA_HOME | KAFKA_VERSION | KAFKA_TOOL_OPTS) return 0 ;;
    *) return 1 ;;
  esac
}

property_name() {
  local name="${1#KAFKA_}"
  name="${name,,}"
  name="${name//___/-}"
  name="${name//__/@}"
  name="${name//_/.}"
  printf '%s\n' "${name//@/_}"
}

{
  echo "# Written by kafka-entrypoint.sh from the container's KAFKA_* variables."
  has_log_dirs=false
  while read -r variable; do
    is_jvm_variable "$variable" && continue
    [ "$variable" = KAFKA_LOG_DIRS ] && has_log_dirs=true
    printf '%s=%s\n' "$(property_name "$variable")" "${!variable}"
  done < <(compgen -e | grep '^KAFKA_' | LC_ALL=C sort)
  if [ "$has_log_dirs" = false ]; then echo "log.dirs=/var/lib/kafka/data"; fi
} >"$config"

# With controller.quorum.voters the quorum is static and formatting takes no --standalone; a
# controller without them is a dynamic quorum of one (Kafka 4's quickstart).
format_args=(format --cluster-id "$CLUSTER_ID" --config "$config" --ignore-formatted)
grep -q '^controller.quorum.voters=' "$config" || format_args+=(--standalone)
kafka-storage.sh "${format_args[@]}"

# Kafka's own start scripts' defaults, unless the container sets them.
# shellcheck disable=SC2086 # the *_OPTS variables are lists of JVM flags
exec java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true} \
  ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp "/opt/kafka/libs/*" kafka.Kafka "$config"

#!/usr/bin/env bash
# One Kafka Connect worker in distributed mode, configured as quay.io/debezium/connect is:
# BOOTSTRAP_SERVERS, GROUP_ID (default 1), CONFIG_/OFFSET_/STATUS_STORAGE_TOPIC,
# OFFSET_FLUSH_INTERVAL_MS (default 60000), OFFSET_FLUSH_TIMEOUT_MS, SHUTDOWN_TIMEOUT, KEY_/VALUE_CONVERTER,
# ADVERTISED_HOST_NAME/PORT, HEAP_OPTS, and every CONNECT_* variable as a worker property
# (CONNECT_ dropped, lower case, `_` -> `.`), set last so it wins. `start` runs the worker; any
# other command runs as given.
set -euo pipefail

if [ "${1:-start}" != start ]; then exec "$@"; fi

config=/opt/kafka/config/connect-distributed.properties
: "${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS must be set (host:port of a Kafka broker)}"
: "${CONFIG_STORAGE_TOPIC:?CONFIG_STORAGE_TOPIC must be set (the topic of connector configurations)}"
: "${OFFSET_STORAGE_TOPIC:?OFFSET_STORAGE_TOPIC must be set (the topic of source offsets)}"

# Debezium's image writes these from its own variables, overriding a CONNECT_* of the same
# property: OFFSET_FLUSH_INTERVAL_MS, not CONNECT_OFFSET_FLUSH_INTERVAL_MS, sets the interval.
export CONNECT_BOOTSTRAP_SERVERS="$BOOTSTRAP_SERVERS"
export CONNECT_GROUP_ID="${GROUP_ID:-1}"
export CONNECT_CONFIG_STORAGE_TOPIC="$CONFIG_STORAGE_TOPIC"
export CONNECT_OFFSET_STORAGE_TOPIC="$OFFSET_STORAGE_TOPIC"
if [ -n "${STATUS_STORAGE_TOPIC:-}" ]; then export CONNECT_STATUS_STORAGE_TOPIC="$STATUS_STORAGE_TOPIC"; fi
export CONNECT_OFFSET_FLUSH_INTERVAL_MS="${OFFSET_FLUSH_INTERVAL_MS:-60000}"
export CONNECT_OFFSET_FLUSH_TIMEOUT_MS="${OFFSET_FLUSH_TIMEOUT_MS:-5000}"
export CONNECT_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS="${SHUTDOWN_TIMEOUT:-10000}"
export CONNECT_KEY_CONVERTER="${KEY_CONVERTER:-org.apache.kafka.connect.json.JsonConverter}"
export CONNECT_VALUE_CONVERTER="${VALUE_CONVERTER:-org.apache.kafka.connect.json.JsonConverter}"
# Other workers (and `connectors/.../status`) name this worker by its address on the network.
export CONNECT_REST_ADVERTISED_HOST_NAME="${ADVERTISED_HOST_NAME:-$(hostname -i | awk '{print $1}')}"
export CONNECT_REST_ADVERTISED_PORT="${ADVERTISED_PORT:-8083}"
export CONNECT_LISTENERS="${CONNECT_LISTENERS:-http://0.0.0.0:${REST_PORT:-8083}}"

property_name() {
  local name="${1#CONNECT_}"
  name="${name,,}"
  printf '%s\n' "${name//_/.}"
}

# The image's defaults, then every CONNECT_* variable: a later line of a properties file wins.
{
  cat /opt/kafka/config/connect-distributed.defaults
  echo "# From the container's variables (connect-entrypoint.sh):"
  while read -r variable; do
    case "$variable" in CONNECT_LOG4J_*) continue ;; esac
    printf '%s=%s\n' "$(property_name "$variable")" "${!variable}"
  done < <(compgen -e | grep '^CONNECT_' | LC_ALL=C sort)
} >"$config"

# shellcheck disable=SC2086 # the *_OPTS variables are lists of JVM flags
exec java ${HEAP_OPTS:-${KAFKA_HEAP_OPTS:--Xms256M -Xmx2G}} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true} \
  ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp "/opt/kafka/libs/*" org.apache.kafka.connect.cli.ConnectDistributed "$config"

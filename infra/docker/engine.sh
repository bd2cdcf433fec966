#!/usr/bin/env bash
# A Docker engine for the docker runtime and the compose lab, on a Debian 12 machine (as CI's)
# where none runs. Re-runnable; CI calls it.
#
#   infra/docker/engine.sh install   # as root on Debian: docker.io, Compose v2, debootstrap (only what is missing)
#   infra/docker/engine.sh start     # start dockerd unless an engine already answers; wait until `docker info` does
#   infra/docker/engine.sh stop      # stop the dockerd this script started, and nothing else
#   infra/docker/engine.sh status    # exit 0 when an engine and the compose plugin answer
#
# Why by hand: Debian 12's machines here run no systemd, so nothing starts dockerd; Debian 12 has no
# Compose v2 (its docker-compose 1.29 rejects the project's compose file), Debian 13's 2.26.1 package
# needs only libc6 >= 2.34, so it is fetched from the trixie suite of the same mirror.
#
# Settings (environment): CDC_ES_LAB_DOCKERD_LOG (default /var/log/cdc-es-lab/dockerd.log),
# CDC_ES_LAB_DOCKERD_PIDFILE (default /run/cdc-es-lab/dockerd.pid), CDC_ES_LAB_DOCKERD_WAIT_S (default 60).
set -euo pipefail
# shellcheck source=infra/docker/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"

LOG_FILE="${CDC_ES_LAB_DOCKERD_LOG:-/var/log/cdc-es-lab/dockerd.log}"
PID_FILE="${CDC_ES_LAB_DOCKERD_PIDFILE:-/run/cdc-es-lab/dockerd.pid}"
WAIT_S="${CDC_ES_LAB_DOCKERD_WAIT_S:-60}"
# The Debian 13 Compose v2 package: its version is pinned so every machine runs the same one.
COMPOSE_DEB_VERSION="2.26.1*"

say() { printf 'engine: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

engine_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }
compose_answers() { docker compose version >/dev/null 2>&1; }

require_root_on_debian() {
  [ "$(id -u)" -eq 0 ] || die "install needs root (apt-get, dpkg); run it as root, or install docker.io, Compose v2 and debootstrap yourself"
  if [ ! -r /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
    die "install knows only Debian (apt-get); install Docker with the compose plugin and debootstrap yourself"
  fi
}

# Compose v2 from Debian 13, fetched with a private apt state: the machine's own sources and
# package lists are never changed, even when this step is interrupted.
install_compose_v2() {
  local mirror work deb
  mirror="$(debian_mirror)"
  work="$(mktemp -d)"
  # apt downloads as the _apt user: it must be able to enter the folder.
  chmod 755 "$work"
  # shellcheck disable=SC2064 # expand now: the trap must remove this very folder
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$mirror" >"$work/trixie.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$work/trixie.list" -o "Dir::Etc::SourceParts=$work/parts"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Get::List-Cleanup=false")
  say "fetching docker-compose ${COMPOSE_DEB_VERSION%\*} from Debian 13 (trixie) at $mirror"
  apt-get "${apt_opts[@]}" -qq update
  (cd "$work" && apt-get "${apt_opts[@]}" -qq download "docker-compose=$COMPOSE_DEB_VERSION")
  deb="$(ls "$work"/docker-compose_*.deb)"
  dpkg -i "$deb" >/dev/null
}

cmd_install() {
  require_root_on_debian
  local need=() started
  started=$(date +%s)
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]} from Debian's packages"
    apt-get update -qq
    # No recommends: apparmor, git, needrestart and cgroupfs-mount are not needed by a dockerd started by hand.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # The Docker CLI on PATH may be another one than docker.io's (a static client in /usr/local/bin):
  # either finds the plugin in /usr/libexec/docker/cli-plugins.
  if ! compose_answers; then install_compose_v2; fi
  compose_answers || die "docker compose still does not answer after installing Debian 13's docker-compose"
  say "installed: $(dockerd --version), $(docker compose version), debootstrap $(dpkg-query -W -f '${Version}' debootstrap) ($(($(date +%s) - started)) s)"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
recorded_pid() { if [ -r "$PID_FILE" ]; then cat "$PID_FILE"; fi; }

cmd_start() {
  if engine_answers; then
    say "a Docker engine already answers ($(docker info --format '{{.ServerVersion}}')); not starting another"
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || die "no dockerd on PATH; run: infra/docker/engine.sh install"
  [ "$(id -u)" -eq 0 ] || die "starting dockerd needs root"
  local pid started
  pid="$(recorded_pid)"
  if pid_alive "$pid"; then
    say "dockerd $pid (started by this script) runs but does not answer yet; waiting"
  else
    mkdir -p "$(dirname "$LOG_FILE")" "$(dirname "$PID_FILE")"
    # setsid: the daemon outlives the shell that started it (CI's step, a session's command).
    setsid dockerd >>"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    say "started dockerd (pid $pid, log $LOG_FILE)"
  fi
  started=$(date +%s)
  until engine_answers; do
    pid_alive "$pid" || die "dockerd exited; last lines of $LOG_FILE:
$(tail -n 20 "$LOG_FILE")"
    [ $(($(date +%s) - started)) -lt "$WAIT_S" ] || die "dockerd did not answer within ${WAIT_S} s; see $LOG_FILE"
    sleep 0.5
  done
  say "engine answers: $(docker info --format 'Docker {{.ServerVersion}}, {{.Driver}}, cgroup v{{.CgroupVersion}}') after $(($(date +%s) - started)) s"
}

cmd_stop() {
  local pid
  pid="$(recorded_pid)"
  if ! pid_alive "$pid"; then
    rm -f "$PID_FILE"
    say "no dockerd started by this script runs; nothing stopped"
    return 0
  fi
  # The pid file could outlive its daemon and the pid be reused: stop only a dockerd.
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dockerd" ] || { rm -f "$PID_FILE"; die "pid $pid is not a dockerd any more; nothing stopped"; }
  kill -TERM "$pid"
  local started
  started=$(date +%s)
  while pid_alive "$pid"; do
    [ $(($(date +%s) - started)) -lt 30 ] || die "dockerd $pid still runs 30 s after SIGTERM"
    sleep 0.5
  done
  rm -f "$PID_FILE"
  say "stopped dockerd $pid"
}

cmd_status() {
  engine_answers || die "no Docker engine answers"
  compose_answers || die "the Docker engine answers, but docker compose does not"
  local pid note="not started by this script"
  pid="$(recorded_pid)"
  pid_alive "$pid" && note="started by this script, pid $pid"
  say "$(docker info --format 'Docker {{.ServerVersion}}') and $(docker compose version --short) answer ($note)"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac

# shellcheck shell=bash
# Sourced by engine.sh and make-base-image.sh: the Debian mirror apt already uses, so the host's
# packages and the containers' come from where this machine is allowed to fetch them.
debian_mirror() {
  local uri
  uri="$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v -- '-security' | head -n1 | awk '{print $2}' || true)"
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

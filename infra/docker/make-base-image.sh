#!/usr/bin/env bash
# Base images for the built flavor (docker-compose.built.yml), made here because no container
# registry may be reachable: a Debian root file system from debootstrap, imported into Docker.
#
#   infra/docker/make-base-image.sh            # every base image the built flavor needs
#   infra/docker/make-base-image.sh bookworm   # one of: bookworm trixie node
#
# Image names come from .env (BASE_BOOKWORM_IMAGE, BASE_TRIXIE_IMAGE, BASE_NODE_IMAGE).
# An image that already exists is kept: delete it to make it again.
# Needs root (debootstrap), a Docker engine and Debian's package mirror (the one apt uses).
set -euo pipefail
# shellcheck source=infra/docker/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"
cd "$(dirname "$0")/../.."

say() { printf 'base-image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

env_value() {
  local value
  value="$(sed -n "s/^$1=//p" .env | tail -n1)"
  [ -n "$value" ] || die ".env has no $1"
  printf '%s\n' "$value"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# debootstrap --variant=minbase, trimmed as Debian's -slim images are, then `docker import`.
debootstrap_image() {
  local suite="$1" image="$2" mirror security root started
  if image_exists "$image"; then say "$image exists; kept"; return 0; fi
  [ "$(id -u)" -eq 0 ] || die "debootstrap needs root"
  command -v debootstrap >/dev/null 2>&1 || die "no debootstrap; run: infra/docker/engine.sh install"
  started=$(date +%s)
  mirror="$(debian_mirror)"
  mirror="${mirror%/}"
  security="${mirror%/debian}/debian-security"
  root="$(mktemp -d "${TMPDIR:-/tmp}/cdc-es-lab-rootfs-$suite.XXXXXX")"
  scratch+=("$root" "$root.log")
  # Downloaded packages are kept between runs: a second base image of the same suite, or a
  # re-made one, fetches nothing again.
  local cache="/var/cache/cdc-es-lab/debootstrap/$suite"
  mkdir -p "$cache"
  say "debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase --cache-dir="$cache" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; die "debootstrap $suite failed"; }

  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
  # What Debian's -slim images leave out, and apt settings for image builds: no documentation,
  # manual pages or translations, no recommended packages, no package lists or .debs kept.
  cat >"$root/etc/dpkg/dpkg.cfg.d/cdc-es-lab-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  cat >"$root/etc/apt/apt.conf.d/cdc-es-lab-image" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/log/* "$root"/tmp/* "$root/etc/hostname" "$root/etc/resolv.conf"
  # The man1 folder must exist for openjdk's postinst (update-alternatives links java.1.gz there).
  mkdir -p "$root/usr/share/man/man1"

  tar --numeric-owner -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase $suite $mirror" - "$image" >/dev/null
  say "$image made in $(($(date +%s) - started)) s"
}

# Node.js 20 is Debian 13's (Debian 12 has 18): installed on the trixie image.
node_image() {
  local trixie="$1" node="$2" started
  if image_exists "$node"; then say "$node exists; kept"; return 0; fi
  started=$(date +%s)
  # Docker's own client builds with the legacy builder here (no buildx): its output is shown on failure only.
  docker build -q -f infra/docker/base/node.Dockerfile --build-arg "BASE_IMAGE=$trixie" -t "$node" infra/docker/base >"$scratch_log" 2>&1 \
    || { tail -n 30 "$scratch_log" >&2; die "building $node failed"; }
  say "$node made in $(($(date +%s) - started)) s"
}

# Root file systems being made: removed however the script ends.
scratch_log="$(mktemp)"
scratch=("$scratch_log")
trap 'rm -rf "${scratch[@]}"' EXIT

docker info >/dev/null 2>&1 || die "no Docker engine answers; run: infra/docker/engine.sh start"

bookworm="$(env_value BASE_BOOKWORM_IMAGE)"
trixie="$(env_value BASE_TRIXIE_IMAGE)"
node="$(env_value BASE_NODE_IMAGE)"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bookworm trixie node)
for target in "${targets[@]}"; do
  case "$target" in
    bookworm) debootstrap_image bookworm "$bookworm" ;;
    trixie) debootstrap_image trixie "$trixie" ;;
    node) debootstrap_image trixie "$trixie"; node_image "$trixie" "$node" ;;
    *) die "unknown base image '$target' (bookworm, trixie or node)" ;;
  esac
done

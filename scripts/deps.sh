#!/usr/bin/env bash
# Installs the Debian 12 packages winipsec needs to build and test, when any
# is missing. Sourced by demo.sh and test.sh; needs root for apt-get.
winipsec_packages=(
  g++ meson ninja-build pkg-config
  libfmt-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev doctest-dev
  libmnl-dev libnftnl-dev libhivex-dev libsystemd-dev
  iproute2 nftables jq
  # charon (/usr/lib/ipsec/charon), swanctl + the vici plugin, kernel-libipsec
  strongswan-charon strongswan-swanctl libcharon-extra-plugins
  # the interop lab (tests/interop) reads winipsec show --json and sends UDP
  jq python3
  # the lab (tests/lab): Debian's kernel, which has ESP, booted under qemu
  qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils tcpdump iputils-ping
)

winipsec_install_missing() {
  local missing=()
  for p in "${winipsec_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "winipsec: missing packages: ${missing[*]}; run as root or install them" >&2
    return 1
  fi
  echo "winipsec: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2
}

# Configure DIR once (further arguments go to meson setup).
winipsec_configure() {
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >&2
}

# Build TARGETs (default: everything) in a configured DIR.
winipsec_compile() {
  local dir=$1; shift
  ninja -C "$dir" "$@" >&2
}

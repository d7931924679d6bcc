#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything OTA Lab needs to build, run and test on Debian 12 (as root).
# Skips apt entirely when every package is already installed.
#
# Installs with --no-install-recommends, so every package the build reads must be named
# here or be a hard Depends of one named here. Recommends do not count: Qt6Charts' CMake
# config needs Qt6OpenGL (libqt6opengl6-dev), which qt6-charts-dev only recommends, and
# that once broke both README commands on a fresh machine. tests/check-build-deps.sh
# (run by tests/run-all.sh) proves after each build that every file the build read
# comes from this list's Depends closure.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config dpkg-dev file
  qt6-base-dev qt6-charts-dev qt6-serialport-dev qt6-connectivity-dev qt6-svg-dev libgl-dev
  libqt6opengl6-dev
  libssl-dev libzstd-dev zstd libgtest-dev libgmock-dev libbenchmark-dev
  clang-16 libclang-rt-16-dev
  libns3-dev
  xvfb xauth
  socat
  libmosquitto-dev mosquitto mosquitto-clients   # MQTT link plugin; the tests start mosquitto on loopback
  libcoap3-bin   # coap-client-notls: the OCF tests use it as an independent CoAP peer
  tshark
  slurmctld slurmd slurm-client munge   # tests/cluster/slurm_sweep_test.sh: a one-node Slurm cluster on loopback runs a sweep as an array job
)
# node + npm for tests/cluster/k8s_manifest_test.sh (validates the sweep's Kubernetes Indexed Job
# offline with kubernetes-models). Only when none is on PATH: a NodeSource nodejs bundles npm and
# conflicts with Debian's npm package.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
# --list: print the packages, one a line (tests/check-build-deps.sh reads them).
if [[ ${1:-} == --list ]]; then printf '%s\n' "${packages[@]}"; exit 0; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The tests start their own daemons (mosquitto, munged, slurmctld, slurmd) on loopback in
  # temporary folders: the packages' system services are not started at install (Debian's
  # policy-rc.d, exit 101 = "action forbidden"; removed again afterwards). munge's postinst
  # otherwise creates /etc/munge/munge.key by `su munge -c mungekey`, which fails where the
  # munge user cannot run /bin/sh (a root folder of mode 0700, as in a bare chroot): the key is
  # the same 1 KiB of random bytes made here as root, and the postinst gives it to munge (0400).
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  if [[ " ${missing[*]} " == *" munge "* && ! -e /etc/munge/munge.key ]]; then
    install -d -m 0700 /etc/munge
    (umask 077 && head -c 1024 /dev/urandom >/etc/munge/munge.key)
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

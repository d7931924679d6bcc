#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything OTA Lab needs to build, run and test on Debian 12 (as root).
# Skips apt entirely when every package is already installed.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config dpkg-dev file
  qt6-base-dev qt6-charts-dev qt6-serialport-dev qt6-connectivity-dev qt6-svg-dev libgl-dev
  libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-16 libclang-rt-16-dev
  libns3-dev
  xvfb xauth
  socat
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

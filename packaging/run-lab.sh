#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs dependencies, builds OTA Lab (Release, ./build) and starts the lab.
# With a display: opens the lab window on the bundled default scenario
# (resources/scenarios/starter.json) and runs it. Without one: runs the same scenario
# headless (report, plots, pcap), takes pictures of the lab window mid-rollout and of
# the Image Inspector on demo images, and prints where its outputs are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOTALAB_BUILD_TESTS=OFF -DOTALAB_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)"

cli=build/app/cli/otalab-cli
gui=build/app/gui/otalab
out=out/demo
mkdir -p "$out"
# Demo images, signed with the bundled TEST-ONLY keys (resources/keys).
head -c 65536 /dev/urandom >"$out/firmware.bin"
"$cli" image create zigbee --in "$out/firmware.bin" --out "$out/demo.ota" \
  --manufacturer 0x1037 --image-type 0x0101 --file-version 0x01020304 --header-string "OTA Lab demo" \
  --integrity --sign-key resources/keys/zigbee-cs1-demo.pem --signer-ieee 00:0d:6f:00:00:00:00:01
"$cli" image create mcuboot --in "$out/firmware.bin" --out "$out/demo.signed.bin" \
  --header-size 0x200 --pad-header --version 1.2.3+4 --key resources/keys/mcuboot-ecdsa-p256-demo.pem

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$gui" --scenario resources/scenarios/starter.json --speed 100 --run
fi
echo "== no display: running the lab headless"
set -x
"$cli" run resources/scenarios/starter.json --out out/starter --pcap
"$cli" image inspect "$out/demo.ota" --key resources/keys/zigbee-cs1-demo.pem | tee "$out/demo.ota.txt"
"$cli" image inspect "$out/demo.signed.bin" --key resources/keys/mcuboot-ecdsa-p256-demo.pem --json >"$out/demo.signed.json"
QT_QPA_PLATFORM=offscreen "$gui" --scenario resources/scenarios/starter.json --speed max --select 0x0004 \
  --screenshot-at 900 --screenshot "$out/lab.png" --run --quit-when-done
QT_QPA_PLATFORM=offscreen "$gui" "$out/demo.ota" --key resources/keys/zigbee-cs1-demo.pem \
  --screenshot "$out/inspector.png" --quit
set +x
echo "== outputs: $(pwd)/out/starter/report.html (simulated rollout of the default scenario: report.json, devices.csv, plots, capture.pcap)"
echo "==          $(pwd)/$out: lab.png (lab window mid-rollout), demo.ota.txt (inspection), demo.signed.json (JSON report), inspector.png (Image Inspector)"

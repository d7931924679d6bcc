#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs dependencies, builds OTA Lab (Release, ./build) and starts the lab.
# With a display: opens the GUI on the bundled demo images. Without one: runs the
# same job headless — plus the default scenario (resources/scenarios/starter.json)
# through the simulator — and prints where its outputs are. (The GUI gets the
# simulator in the lab window of issue 4.)
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
  exec "$gui" "$out/demo.ota" --key resources/keys/zigbee-cs1-demo.pem
fi
echo "== no display: running the lab headless"
set -x
"$cli" run resources/scenarios/starter.json --out out/starter --pcap
"$cli" image inspect "$out/demo.ota" --key resources/keys/zigbee-cs1-demo.pem | tee "$out/demo.ota.txt"
"$cli" image inspect "$out/demo.signed.bin" --key resources/keys/mcuboot-ecdsa-p256-demo.pem --json >"$out/demo.signed.json"
QT_QPA_PLATFORM=offscreen "$gui" "$out/demo.ota" --key resources/keys/zigbee-cs1-demo.pem \
  --screenshot "$out/inspector.png" --quit
set +x
echo "== outputs: $(pwd)/out/starter/report.html (simulated rollout of the default scenario: report.json, devices.csv, plots, capture.pcap)"
echo "==          $(pwd)/$out: demo.ota.txt (inspection), demo.signed.json (JSON report), inspector.png (GUI)"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs dependencies, builds everything (./build-tests) and runs every test:
# the GoogleTest suites through ctest, a brief libFuzzer run of every parser under
# ASan/UBSan (./build-fuzz, clang), a check that every file both builds read comes
# from a package packaging/install-deps.sh installs (tests/check-build-deps.sh), and a
# check that cpack produces the .deb.
# FUZZ_SECONDS (default 20) sets the fuzzing time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
export QT_QPA_PLATFORM=offscreen

echo "== build and unit/integration tests"
# -g1 (line tables only): backtraces keep file:line, and the build is ~25 % faster than -g.
cmake -S . -B build-tests -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build-tests -j"$(nproc)"
ctest --test-dir build-tests --output-on-failure -j"$(nproc)" --timeout 300 | tee build-tests/ctest.log
unit_total=$(grep -o 'out of [0-9]*' build-tests/ctest.log | tail -1 | grep -o '[0-9]*')

echo "== fuzz targets (libFuzzer + ASan/UBSan, ${FUZZ_SECONDS:-20} s each)"
CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -G Ninja -DOTALAB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build-fuzz -j"$(nproc)"
echo "== every file the builds read comes from a package install-deps.sh installs on a fresh machine"
bash tests/check-build-deps.sh build-tests build-fuzz
fuzz_total=0
for fuzzer in build-fuzz/tests/fuzz/fuzz_*; do
  [[ -f "$fuzzer" && -x "$fuzzer" ]] || continue
  name=$(basename "$fuzzer")
  corpus=$(mktemp -d)
  seeds=tests/data/${name#fuzz_}; seeds=${seeds%%_*}
  [[ -d "$seeds" ]] && find "$seeds" -type f ! -name '*.md' ! -name '*.pem' -exec cp {} "$corpus" \;
  UBSAN_OPTIONS=halt_on_error=1 "$fuzzer" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus" 2>"$corpus.log" || { tail -50 "$corpus.log"; echo "FUZZ FAILED: $name"; exit 1; }
  echo "$name: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$corpus.log" | grep -o '[0-9]*$') inputs, no crash"
  fuzz_total=$((fuzz_total + 1))
  rm -rf "$corpus" "$corpus.log"
done

echo "== packaging"
(cd build-tests && cpack -G DEB >/dev/null 2>&1)
deb=$(ls -t build-tests/otalab_*.deb | head -1)
contents=$(dpkg-deb -c "$deb")
for wanted in usr/bin/otalab usr/bin/otalab-cli applications/otalab.desktop icons/hicolor/scalable/apps/otalab.svg share/otalab/scenarios/starter.json \
    otalab/plugins/libotalab_transport_serial.so otalab/plugins/libotalab_transport_udp.so \
    otalab/plugins/libotalab_transport_ble.so otalab/plugins/libotalab_mqtt_link.so; do
  grep -q "$wanted" <<<"$contents" || { echo "PACKAGE FAILED: $deb lacks $wanted"; exit 1; }
done
echo "$deb contains otalab, otalab-cli, desktop entry, icon, bundled scenarios, transport plugins, MQTT link plugin"
echo "all: $((unit_total + fuzz_total + 1)) passed, 0 failed"

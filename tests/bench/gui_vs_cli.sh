#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the lab window costs over the CLI on one scenario: wall time, CPU time (user +
# sys, all threads: on a loaded machine the steadier figure) and peak RSS of
# `otalab-cli run` and of `otalab --speed max --run --quit-when-done` (under Xvfb at
# 1920x1080 unless DISPLAY is set), RUNS times each, interleaved so both see the same
# machine; prints every run and the medians. Not a test: these machines are noisy.
#   usage: [OTALAB_GUI=otalab] tests/bench/gui_vs_cli.sh BUILD_DIR SCENARIO [RUNS=3]
set -euo pipefail
build=$1
scenario=$2
runs=${3:-3}
gui_bin=${OTALAB_GUI:-$build/app/gui/otalab}  # another build of the window to compare
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "wall_s cpu_s max_rss_mb" of a command (GNU time).
measure() {
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
    awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time"
}

gui() {
    if [[ -n ${DISPLAY:-} ]]; then
        XDG_CONFIG_HOME="$work/config" measure "$gui_bin" --scenario "$scenario" --speed max --run --quit-when-done
    else
        # xvfb-run's own start-up stays outside the measured command.
        XDG_CONFIG_HOME="$work/config" xvfb-run -a -s "-screen 0 1920x1080x24" \
            bash -c "$(declare -f measure); work='$work'; measure '$gui_bin' --scenario '$scenario' --speed max --run --quit-when-done; cat '$work/time' >/dev/null"
    fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: >"$work/cli.txt"
: >"$work/gui.txt"
for i in $(seq "$runs"); do
    c=$(measure "$build/app/cli/otalab-cli" run "$scenario" --out "$work/report")
    g=$(gui)
    read -r cw cc cm <<<"$c"
    read -r gw gc gm <<<"$g"
    echo "run $i: cli ${cw} s wall, ${cc} s CPU, ${cm} MB   gui ${gw} s wall, ${gc} s CPU, ${gm} MB"
    echo "$c" >>"$work/cli.txt"
    echo "$g" >>"$work/gui.txt"
done
for field in 1 2; do
    cli=$(cut -d' ' -f$field "$work/cli.txt" | median)
    gui=$(cut -d' ' -f$field "$work/gui.txt" | median)
    what=$([[ $field == 1 ]] && echo wall || echo CPU)
    awk -v c="$cli" -v g="$gui" -v w="$what" \
        'BEGIN { printf "median %s: cli %.2f s, gui %.2f s, gui/cli %.2f (%+.0f %%)\n", w, c, g, g / c, 100 * (g / c - 1) }'
done

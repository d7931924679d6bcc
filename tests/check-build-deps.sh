#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proves that a fresh Debian 12 machine gets every package this build read from:
#
#   bash tests/check-build-deps.sh BUILD_DIR [BUILD_DIR ...]
#
# The files a build read are the CMake files its configure step loaded (build.ninja's
# RERUN_CMAKE inputs), every header the compiler opened (`ninja -t deps`) and every
# library given to the linker by path. Each file outside the checkout is mapped to the
# Debian package that owns it; that package must be in the closure of the packages
# packaging/install-deps.sh names, following Depends and Pre-Depends only (install-deps
# uses --no-install-recommends) plus what every minimal Debian has (Essential or
# Priority: required). A package this machine got some other way (a Recommends, a hand
# install, an earlier session) makes the check fail with the file that needed it, so a
# green run here means a green first run on a new machine, for the build's inputs.
# Exit: 0 all covered, 1 something is not, 2 usage.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
(($#)) || { echo "usage: $0 BUILD_DIR [BUILD_DIR ...]" >&2; exit 2; }
checkout=$(pwd -P)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The files the builds read, as absolute paths outside the checkout and the build dirs.
for build in "$@"; do
  [[ -f $build/build.ninja ]] || { echo "check-build-deps: $build has no build.ninja (build it first)" >&2; exit 2; }
  grep -m1 '^build build.ninja: RERUN_CMAKE' "$build/build.ninja" | tr ' ' '\n'
  ninja -C "$build" -t deps 2>/dev/null | awk '/^    /{print $1}'
  grep -E '^  LINK_LIBRARIES = ' "$build/build.ninja" | tr ' ' '\n' | grep -E '^/.*\.(so[.0-9]*|a)$' || true
done | grep '^/' | grep -v -e "^$checkout/" -e '^/tmp/' | sort -u >"$work/read"

# 2. Path -> owning package, from dpkg's file lists. /lib, /bin and /sbin are /usr's on a
#    merged-/usr Debian, and headers may be reached through symlinks: try each spelling.
awk '{ pkg = FILENAME; sub(/.*\//, "", pkg); sub(/\.list$/, "", pkg); sub(/:.*/, "", pkg); print $0 "\t" pkg }' /var/lib/dpkg/info/*.list | sort -t$'\t' -k1,1 -u >"$work/owners"
xargs -d '\n' realpath -m -- <"$work/read" | paste "$work/read" - \
  | awk -F'\t' -v OFS='\t' '{ r = $1; sub(/^\/usr/, "", r); q = $2; sub(/^\/usr/, "", q);
                              print $1, $1; print $1, $2; print $1, r; print $1, q }' \
  | sort -t$'\t' -k2,2 >"$work/spellings"
join -t$'\t' -1 2 -2 1 -o 1.1,2.2 "$work/spellings" "$work/owners" | sort -t$'\t' -k1,1 -u >"$work/read-owned"
cut -f1 "$work/read-owned" | comm -23 "$work/read" - >"$work/unowned"

# 3. What install-deps.sh installs on a fresh machine (Depends closure) and what a minimal
#    Debian already has.
mapfile -t listed < <(bash packaging/install-deps.sh --list)
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "${listed[@]}" 2>/dev/null | grep -v '^ ' | tr -d '<>' | sed 's/:any$//' >"$work/closure"
# A virtual package in the closure stands for whichever installed package provides it.
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "${listed[@]}" 2>/dev/null | awk '/^    [^ ]/{print $1}' >>"$work/closure"
dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}' >>"$work/closure"
sed 's/:[a-z0-9]*$//' "$work/closure" | sort -u >"$work/allowed"

# 4. Every package the build read from must be allowed.
awk -F'\t' '{print $2 "\t" $1}' "$work/read-owned" | sort -k1,1 >"$work/by-package"
join -v1 "$work/by-package" "$work/allowed" >"$work/missing" || true
files=$(wc -l <"$work/read")
if [[ -s $work/missing ]]; then
  echo "check-build-deps: the build read files from packages that packaging/install-deps.sh does not install"
  echo "on a fresh machine (add them to its list; a Recommends is not installed there):"
  awk '!seen[$1]++ {print "  " $1 "   (e.g. " $2 ")"}' "$work/missing"
  exit 1
fi
echo "check-build-deps: $files files read by $*, from $(cut -f2 "$work/read-owned" | sort -u | wc -l) packages," \
  "all installed by packaging/install-deps.sh on a fresh machine ($(wc -l <"$work/unowned") files belong to no package)"

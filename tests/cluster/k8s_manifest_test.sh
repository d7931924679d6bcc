#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Kubernetes Indexed Job that `otalab-cli sweep --plan` writes is a valid batch/v1 Job,
# checked offline against the API schema (kubernetes-models, pinned in k8s/package-lock.json;
# `kubectl --dry-run=client` cannot: it asks a cluster's API for discovery). Also proves the
# validator can fail: the same manifest with completionMode "Bogus" must be refused.
# Exit 77 (ctest SKIP_RETURN_CODE) when node/npm are missing or the packages cannot be installed.
#
# Usage: k8s_manifest_test.sh OTALAB_CLI SCENARIO
# OTALAB_NPM_CACHE: an npm cache folder to install from offline (npm ci --offline), if present.
set -euo pipefail

cli=${1:?usage: k8s_manifest_test.sh OTALAB_CLI SCENARIO}
scenario=${2:?usage: k8s_manifest_test.sh OTALAB_CLI SCENARIO}
here=$(cd "$(dirname "$0")" && pwd)
[[ -x $cli ]] || { echo "FAIL: $cli is not executable"; exit 1; }

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (apt-get install nodejs npm; see packaging/install-deps.sh)"; exit 77; }
done

T=$(mktemp -d /tmp/otalab-k8s.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The validator's packages, exactly as locked, in a private copy (the source tree stays clean).
cp "$here/k8s/package.json" "$here/k8s/package-lock.json" "$here/k8s/validate-job.mjs" "$T/"
npm_args=(ci --prefix "$T" --no-audit --no-fund --loglevel=error)
if [[ -n ${OTALAB_NPM_CACHE:-} && -d $OTALAB_NPM_CACHE ]]; then
  npm_args+=(--offline --cache "$OTALAB_NPM_CACHE")
fi
if ! npm "${npm_args[@]}" >"$T/npm.log" 2>&1; then
  cat "$T/npm.log"
  echo "SKIP: npm ci could not install kubernetes-models (no registry and no cache?)"
  exit 77
fi

# The manifest for a small sweep of the scenario.
"$cli" sweep "$scenario" --vary server.blockResponseDelayMs=100,250 --seeds 3 --until 600 \
  --plan "$T/sweep" --pvc otalab-sweeps --image registry.example/otalab:1 --slurm-max-parallel 4 >/dev/null
manifest=$T/sweep/kubernetes/sweep-job.yaml
[[ -f $manifest ]] || { echo "FAIL: otalab-cli sweep --plan wrote no $manifest"; exit 1; }

echo "== the generated manifest"
if ! out=$(node "$T/validate-job.mjs" "$manifest" 2>&1); then
  echo "$out"
  echo "FAIL: the generated Indexed Job is not a valid batch/v1 Job"
  cat "$manifest"
  exit 1
fi
echo "$out"
# Valid is not enough: it must be the Indexed Job the tasks need.
for want in 'completionMode: Indexed' 'completions: 6' 'parallelism: 4' 'backoffLimitPerIndex: 2' \
    'JOB_COMPLETION_INDEX' "claimName: \"otalab-sweeps\"" 'image: "registry.example/otalab:1"'; do
  grep -qF "$want" "$manifest" || { echo "FAIL: the manifest lacks '$want'"; cat "$manifest"; exit 1; }
done

echo "== a mutated manifest (completionMode: Bogus) must be refused"
sed 's/completionMode: Indexed/completionMode: Bogus/' "$manifest" >"$T/bogus.yaml"
grep -q 'completionMode: Bogus' "$T/bogus.yaml" || { echo "FAIL: the mutation did not apply"; exit 1; }
if out=$(node "$T/validate-job.mjs" "$T/bogus.yaml" 2>&1); then
  echo "$out"
  echo "FAIL: the validator accepted completionMode Bogus"
  exit 1
fi
echo "$out"
grep -q '/spec/completionMode' <<<"$out" || { echo "FAIL: the refusal does not name /spec/completionMode"; exit 1; }

echo "PASS: the sweep's Kubernetes Indexed Job validates as batch/v1 Job offline; a mutated one is refused"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A sweep on a real one-node Slurm cluster equals the same sweep run locally.
#
# Starts munged + slurmctld + slurmd on loopback (private ports, everything in a mktemp
# folder, no systemd), plans a small sweep of resources/scenarios/starter.json with
# `otalab-cli sweep --plan`, submits the generated array job with `sbatch --wait`, merges
# with `otalab-cli sweep merge --no-wall-time`, runs the SAME sweep locally and compares
# sweep-runs.csv and sweep-summary.csv byte for byte (every run is deterministic).
# Stops the daemons on exit. Exit 77 (ctest SKIP_RETURN_CODE) when not root, when the
# Slurm/munge packages are missing (packaging/install-deps.sh installs them) or when there is
# no cgroup filesystem for slurmd (a bare chroot).
#
# Usage: slurm_sweep_test.sh OTALAB_CLI SCENARIO
set -euo pipefail

cli=${1:?usage: slurm_sweep_test.sh OTALAB_CLI SCENARIO}
scenario=${2:?usage: slurm_sweep_test.sh OTALAB_CLI SCENARIO}
cli=$(readlink -f "$cli")
scenario=$(readlink -f "$scenario")
[[ -x $cli ]] || { echo "FAIL: $cli is not executable"; exit 1; }
[[ -f $scenario ]] || { echo "FAIL: $scenario not found"; exit 1; }

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the one-node Slurm test runs the daemons as root (SlurmUser=root); not root"
  exit 77
fi
for tool in munged slurmctld slurmd sbatch sinfo squeue scontrol; do
  if ! command -v "$tool" >/dev/null && [[ ! -x /usr/sbin/$tool ]]; then
    echo "SKIP: $tool missing (apt-get install slurmctld slurmd slurm-client munge; see packaging/install-deps.sh)"
    exit 77
  fi
done
export PATH=$PATH:/usr/sbin:/sbin
# Slurm 22.05's slurmd initialises its cgroup plugin at start, whatever ProctrackType and
# TaskPlugin say, and exits ("cgroup filesystem not mounted in /sys/fs/cgroup/ ... slurmd
# initialization failed") where there is none: a bare chroot without /sys, as
# ../shared/tools/fresh-debian makes. Every Debian machine, VM or container has it.
if [[ -z $(ls -A /sys/fs/cgroup 2>/dev/null) ]]; then
  echo "SKIP: no cgroup filesystem at /sys/fs/cgroup (a chroot without /sys?): slurmd 22.05 cannot start without one"
  exit 77
fi

started=$SECONDS
S=$(mktemp -d /tmp/otalab-slurm.XXXXXX)
chmod 755 "$S"
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $rc -ne 0 && $rc -ne 77 ]]; then
    for log in "$S"/*.log "$S"/*.stderr; do [[ -f $log ]] && { echo "--- $log (tail)"; tail -20 "$log"; }; done
    for out in "$S"/cluster/slurm/*.out; do [[ -f $out ]] && { echo "--- $out"; cat "$out"; }; done
  fi
  if [[ -n ${OTALAB_KEEP_SLURM_DIR:-} ]]; then echo "kept $S"; else rm -rf "$S"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A TCP port nobody listens on (loopback), not one of `taken`.
taken=()
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    [[ " ${taken[*]} " == *" $port "* ]] && continue
    if command -v ss >/dev/null; then
      ss -Hltn "sport = :$port" | grep -q . && continue
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    taken+=("$port")
    echo "$port"
    return 0
  done
  echo "FAIL: no free TCP port" >&2
  return 1
}
ctld_port=$(free_port)
taken+=("$ctld_port")
slurmd_port=$(free_port)

# --- munge: a private key and socket ---
head -c 1024 /dev/urandom >"$S/munge.key"
chmod 600 "$S/munge.key"
munged --key-file="$S/munge.key" --socket="$S/munge.sock" --pid-file="$S/munged.pid" \
  --log-file="$S/munged.log" --seed-file="$S/munged.seed" --force -F >"$S/munged.stderr" 2>&1 &
pids+=($!)

# --- slurm.conf: one node (this machine as "localhost"), one partition ---
mkdir -p "$S/state" "$S/spool"
cpus=$(nproc)
cat >"$S/slurm.conf" <<EOF
ClusterName=otalabtest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$S/munge.sock
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$S/slurm.conf

# munged must answer before the Slurm daemons authenticate with it.
for try in $(seq 100); do
  [[ -S $S/munge.sock ]] && munge --socket="$S/munge.sock" -n </dev/null >/dev/null 2>&1 && break
  ((try == 100)) && { echo "FAIL: munged did not start"; exit 1; }
  sleep 0.1
done

# -D: in the foreground (their PIDs are ours to stop); -L: log to files in $S only.
slurmctld -D -f "$S/slurm.conf" -L "$S/slurmctld.log" >"$S/slurmctld.stderr" 2>&1 &
pids+=($!)
slurmd -D -f "$S/slurm.conf" -N localhost -L "$S/slurmd.log" >"$S/slurmd.stderr" 2>&1 &
pids+=($!)

# Wait for the node to be idle (sinfo polled a bounded number of times).
state=
for try in $(seq 120); do
  state=$(sinfo -h -N -n localhost -o '%T' 2>/dev/null || true)
  [[ $state == idle ]] && break
  ((try == 120)) && { echo "FAIL: node state '$state' after 60 s (want idle)"; exit 1; }
  sleep 0.5
done
echo "slurm: node localhost idle ($cpus CPUs, slurmctld :$ctld_port, slurmd :$slurmd_port) after $((SECONDS - started)) s"

# --- the sweep: 2 values × 2 seeds, planned for the cluster and run locally ---
sweep_args=("$scenario" --vary server.blockResponseDelayMs=100,250 --seeds 2 --until 1800)
"$cli" sweep "${sweep_args[@]}" --plan "$S/cluster" --cli "$cli" --slurm-max-parallel 2
script=$S/cluster/slurm/sweep.sbatch
grep -q '^#SBATCH --array=0-3%2$' "$script" || { echo "FAIL: $script lacks '#SBATCH --array=0-3%2'"; cat "$script"; exit 1; }

submitted=$SECONDS
# --wait: sbatch returns when every array task has ended, non-zero if one failed.
( cd "$S" && sbatch --wait --parsable "$script" ) >"$S/sbatch.txt"
job=$(head -1 "$S/sbatch.txt")
echo "slurm: array job $job done in $((SECONDS - submitted)) s"

# Every index ran as its own array task: one output file per task id.
for i in 0 1 2 3; do
  out=$S/cluster/slurm/${job}_$i.out
  [[ -f $out ]] || { echo "FAIL: no output of array task $i ($out)"; ls "$S/cluster/slurm"; exit 1; }
  grep -q "^run $i " "$out" || { echo "FAIL: task $i did not run index $i:"; cat "$out"; exit 1; }
done

"$cli" sweep merge "$S/cluster" --no-wall-time
"$cli" sweep "${sweep_args[@]}" --out "$S/local" --jobs 2 --no-wall-time

for table in sweep-runs.csv sweep-summary.csv; do
  if ! cmp "$S/cluster/$table" "$S/local/$table"; then
    echo "FAIL: $table from Slurm differs from the local sweep's:"
    diff "$S/cluster/$table" "$S/local/$table" || true
    exit 1
  fi
done
rows=$(($(wc -l <"$S/local/sweep-runs.csv") - 1))
((rows == 4)) || { echo "FAIL: sweep-runs.csv has $rows rows, want 4"; exit 1; }
echo "PASS: sweep-runs.csv ($rows runs, $(wc -c <"$S/local/sweep-runs.csv") bytes) and sweep-summary.csv" \
  "($(($(wc -l <"$S/local/sweep-summary.csv") - 1)) points) from Slurm job $job equal the local sweep's byte for byte;" \
  "$((SECONDS - started)) s in all"

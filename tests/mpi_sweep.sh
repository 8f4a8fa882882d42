#!/bin/sh
# MPI builds only (-DLANESIM_MPI=ON): `mpirun -n 2 lanesim sweep ...` writes the same CSV and JSON, byte for
# byte, as the sweep in one process; and a point that fails on rank 1 is reported by rank 0 (exit 2, no CSV).
# Usage: mpi_sweep.sh MPIEXEC LANESIM [MPIEXEC_PREFLAGS...]
set -eu
mpiexec=$1
lanesim=$2
shift 2
# root in containers and CI; two ranks may exceed the cores here
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# containers often forbid the cross-memory-attach single copy of the shared-memory transport
export OMPI_MCA_btl_vader_single_copy_mechanism=none
dir=$(mktemp -d "${TMPDIR:-/tmp}/ls_mpi_sweep.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "mpi_sweep: FAIL: $*"; exit 1; }

args="sweep flat -s run.symbols=1e5 --metric ber,eye --param link.length_m=3,5.5 --param flat.loss_db_per_m=1:3:5"
"$lanesim" $args --threads 2 --csv "$dir/one.csv" --json "$dir/one.json" >/dev/null
"$mpiexec" "$@" -n 2 "$lanesim" $args --threads 1 --csv "$dir/mpi.csv" --json "$dir/mpi.json" >"$dir/mpi.out" 2>&1 ||
    { cat "$dir/mpi.out"; fail "mpirun -n 2 sweep exited non-zero"; }
cmp "$dir/one.csv" "$dir/mpi.csv" || fail "the 2-rank CSV differs from the single-process CSV"
cmp "$dir/one.json" "$dir/mpi.json" || fail "the 2-rank JSON differs from the single-process JSON"
[ "$(wc -l <"$dir/mpi.csv")" -eq 11 ] || fail "expected 1 + 10 lines"
# only rank 0 prints the table: one header line
[ "$(grep -c '^point ' "$dir/mpi.out")" -eq 1 ] || { cat "$dir/mpi.out"; fail "the table printed more than once"; }

# statistical mode with a shard: 2 ranks share shard 1/2, and merge joins it with shard 0/2 from one process
sargs="sweep flat --mode stat --metric ber,eye --param link.length_m=1:6:7"
"$lanesim" $sargs --csv "$dir/s.csv" >/dev/null
"$lanesim" $sargs --shard 0/2 --csv "$dir/s0.csv" >/dev/null
"$mpiexec" "$@" -n 2 "$lanesim" $sargs --shard 1/2 --csv "$dir/s1.csv" >/dev/null 2>&1 || fail "mpirun shard 1/2"
"$lanesim" merge "$dir/m.csv" "$dir/s0.csv" "$dir/s1.csv" >/dev/null || fail "merge"
cmp "$dir/s.csv" "$dir/m.csv" || fail "MPI shard + merge differs from the single-process CSV"

# point 1 (link.sps = 4 with jitter) fails on rank 1: rank 0 reports it once, exit 2, no CSV
set +e
"$mpiexec" "$@" -n 2 "$lanesim" sweep awgn -s jitter.rj_ui=0.01 --mode stat --param link.sps=32,4 \
    --csv "$dir/bad.csv" >"$dir/bad.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || { cat "$dir/bad.out"; fail "a failing point: exit $rc, expected 2"; }
[ "$(grep -c 'lanesim: point 1: link.sps' "$dir/bad.out")" -eq 1 ] || { cat "$dir/bad.out"; fail "the error once"; }
[ ! -e "$dir/bad.csv" ] || fail "a CSV after a failed sweep"
echo "mpi_sweep: ok (2 ranks: CSV and JSON identical to one process; shard + merge; a failing point on rank 1)"

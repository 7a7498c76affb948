#!/bin/bash
# Submit a sharded correlator run and its dependent merge:
#   SHARDS=4 OUT=$PWD/run NNSYM_ARGS="..." examples/slurm/submit.sh
# Prints the two job ids. Re-run a failed task i alone with: sbatch --array=i --export=ALL correlators-array.sbatch
# and the merge with: sbatch --dependency=afterok:<new id> --export=ALL merge.sbatch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SHARDS:?set SHARDS}" "${OUT:?set OUT}" "${NNSYM_ARGS:?set NNSYM_ARGS}"
export SHARDS OUT NNSYM_ARGS
array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --export=ALL "$here/correlators-array.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"$array" --export=ALL "$here/merge.sbatch")
echo "array $array merge $merge"

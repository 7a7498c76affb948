#!/bin/sh
# The init-symmetry grids of docs/experiments/init-symmetry.md ("The authors' protocol, side by side"), for one side:
#   tools/peers/nn-symmetry/run-grids.sh nnsym|peer [OUTDIR]
# Resumable: every finished run is kept (nnsym: the --out JSON, rewritten after each run; peer: one JSONL line per
# run) and a rerun of the same command skips them. Seeds are added in blocks (2, 4, ..., 10) so a partial grid has
# every cell at a few seeds rather than half the cells at all of them; on a rerun, a block smaller than the runs
# already in its --out file is refused by nnsym (exit 2: it would drop them) and skipped. One thread per process, nice 19.
# A second peer process on the same results: PEER_REVERSE=1 run-grids.sh peer (works through each block from the
# end; the two meet in the middle).
# Stop: kill -INT <pid> (the running training run is dropped and redone on resume); pause: kill -STOP / -CONT.
set -u
side=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${2:-$root/docs/experiments/data/init-symmetry-paper}
data=$("$here/get-fashion-mnist.sh") || exit 1
mkdir -p "$out"
export OMP_NUM_THREADS=1 NNSYM_BLAS_THREADS=1
nnsym() { # part epochs k mu seeds
  f="$out/nnsym-$1.json"
  resume=""
  if [ -f "$f" ]; then resume="--resume-from $f"; elif [ "$1" = e10-fine ] && [ -f "$out/nnsym-e10.json" ]; then resume="--resume-from $out/nnsym-e10.json"; fi
  nice -n 19 node "$root/packages/cli/bin/nnsym.js" experiment init-symmetry --protocol paper --dataset "idx:$data" \
    --epochs "$2" --k "$3" --mu "$4" --seeds "$5" --threads 1 $resume --out "$f" >>"$out/nnsym.log" 2>&1
  rc=$?; [ $rc -eq 130 ] && exit 130; return 0
}
peer() { # epochs k mu seeds
  nice -n 19 /usr/bin/python3 "$here/grid.py" --data "$data" --epochs "$1" --k "$2" --mu "$3" --seeds "$4" ${PEER_REVERSE:+--reverse} --out "$out/peer.jsonl" >>"$out/peer${PEER_REVERSE:+-reverse}.log" 2>&1
  rc=$?; [ $rc -eq 130 ] && exit 130; return 0
}
for s in 2 4 6 8 10; do "$side" $( [ "$side" = nnsym ] && echo e10 ) 10 0,4,10 0,0.05,0.1,0.2 "$s"; done
for s in 5 10; do "$side" $( [ "$side" = nnsym ] && echo e10-fine ) 10 0,10 0,0.01,0.02,0.03,0.04,0.05 "$s"; done
for s in 5 10; do "$side" $( [ "$side" = nnsym ] && echo e20 ) 20 0,10 0,0.05,0.1 "$s"; done
echo "run-grids.sh $side: all grids done" >>"$out/$side.log"

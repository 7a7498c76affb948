#!/usr/bin/env python3
"""Run the authors' own init-symmetry script (keeganstoner/nn-symmetry, symmetry_breaking_parameters.py) once,
unmodified, with seeded RNGs, and print one JSON line with its per-epoch test accuracies.

What this wrapper does, and nothing more:
  * extracts `symmetry_breaking_parameters.py` and `lib.py` from the bare git mirror (`git show <rev>:<file>`)
    into a fresh temporary directory (their code is never copied into this repository);
  * puts ./standin first on sys.path, so `torchvision` resolves to our stand-in (datasets.FashionMNIST reading
    the local IDX files in --data, transforms.ToTensor/Normalize/Compose);
  * seeds `torch`, `numpy` and `random` from --seed (their script never seeds), and sets torch to --threads;
  * runs the script as __main__ with the given arguments (sys.argv), in the temporary directory, timing each
    epoch by the line the script prints after its test pass ("accuracy for epoch ...");
  * reads the pickle the script writes (accuracies in percent, one per epoch) and prints JSON (fractions).

Usage:
  OMP_NUM_THREADS=1 /usr/bin/python3 run_peer.py --seed 3 --data DIR -- --targets cold --k 10 --mw 0.05 --epochs 10
"""
import argparse
import glob
import json
import os
import pickle
import random
import runpy
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MIRROR = "/work/.mirror/keeganstoner+nn-symmetry/repo"
DEFAULT_DATA = os.path.expanduser("~/.cache/nnsym/datasets/fashion-mnist-zalando")
SCRIPT = "symmetry_breaking_parameters.py"


def extract(mirror, rev, dest):
    commit = subprocess.run(["git", "-C", mirror, "rev-parse", rev], check=True, capture_output=True, text=True).stdout.strip()
    for name in (SCRIPT, "lib.py"):
        text = subprocess.run(["git", "-C", mirror, "show", f"{commit}:{name}"], check=True, capture_output=True).stdout
        with open(os.path.join(dest, name), "wb") as f:
            f.write(text)
    return commit


class EpochClock:
    """A stdout proxy that records the time of each 'accuracy for epoch' line (the script prints it per epoch)."""

    def __init__(self, inner, quiet):
        self.inner, self.quiet, self.times, self.t0 = inner, quiet, [], time.perf_counter()

    def write(self, s):
        if "accuracy for epoch" in s:
            self.times.append(time.perf_counter() - self.t0)
        if not self.quiet:
            self.inner.write(s)
        return len(s)

    def flush(self):
        self.inner.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True, help="seeds torch, numpy and random before the script runs")
    ap.add_argument("--data", default=os.environ.get("NNSYM_PEER_FASHION_MNIST_DIR", DEFAULT_DATA), help="directory with the four Fashion-MNIST IDX(.gz) files")
    ap.add_argument("--mirror", default=DEFAULT_MIRROR, help="bare git mirror of keeganstoner/nn-symmetry")
    ap.add_argument("--rev", default="HEAD", help="revision of the mirror to run")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    ap.add_argument("--verbose", action="store_true", help="pass the script's own output through to stderr")
    ap.add_argument("script_args", nargs=argparse.REMAINDER, help="-- then the script's own flags (--targets, --k, --mw, --epochs, ...)")
    a = ap.parse_args()
    script_args = a.script_args[1:] if a.script_args[:1] == ["--"] else a.script_args
    for f in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        if not (os.path.exists(os.path.join(a.data, f)) or os.path.exists(os.path.join(a.data, f + ".gz"))):
            print(f"run_peer.py: error: --data: {a.data} has no {f}[.gz]", file=sys.stderr)
            sys.exit(2)

    work = tempfile.mkdtemp(prefix="nn-symmetry-peer-")
    try:
        commit = extract(a.mirror, a.rev, work)
        os.environ["NNSYM_PEER_FASHION_MNIST_DIR"] = os.path.abspath(a.data)
        sys.path[:0] = [work, os.path.join(HERE, "standin")]
        import numpy as np
        import torch

        torch.set_num_threads(a.threads)
        torch.manual_seed(a.seed)
        np.random.seed(a.seed)
        random.seed(a.seed)

        os.chdir(work)
        sys.argv = [SCRIPT, *script_args]
        clock = EpochClock(sys.stdout, quiet=not a.verbose)
        real_stdout, sys.stdout = sys.stdout, clock
        t0 = time.perf_counter()
        try:
            runpy.run_path(os.path.join(work, SCRIPT), run_name="__main__")
        finally:
            sys.stdout = real_stdout
        seconds = time.perf_counter() - t0
        pickles = glob.glob(os.path.join(work, "accuracies_*.pickle"))
        if len(pickles) != 1:
            raise RuntimeError(f"expected one accuracies pickle, found {pickles}")
        with open(pickles[0], "rb") as f:
            acc = [float(x) / 100.0 for x in pickle.load(f)]
        epoch_seconds = [t1 - t0_ for t0_, t1 in zip([0.0] + clock.times[:-1], clock.times)]
        import torchvision  # the stand-in, for the record

        out = {
            "peer": "keeganstoner/nn-symmetry",
            "script": SCRIPT,
            "commit": commit,
            "pickle": os.path.basename(pickles[0]),
            "argv": script_args,
            "seed": a.seed,
            "threads": a.threads,
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "data": os.path.abspath(a.data),
            "testAccuracyByEpoch": acc,
            "bestTestAccuracy": max(acc),
            "bestEpoch": acc.index(max(acc)),
            "finalTestAccuracy": acc[-1],
            "seconds": seconds,
            "epochSeconds": epoch_seconds,
        }
        print(json.dumps(out))
    finally:
        os.chdir(HERE)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

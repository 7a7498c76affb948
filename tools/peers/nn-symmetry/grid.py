#!/usr/bin/env python3
"""The init-symmetry grid (arXiv 2106.00694) on the authors' own script, resumable: one run_peer.py process per
run, every finished run appended at once as one JSON line to --out (a JSONL results file), runs already in it are
skipped, so a grid can span sessions and processes. `--shard i/n` keeps runs j = i (mod n) of the grid's fixed
order (two processes: --shard 0/2 and --shard 1/2, same --out is fine: each line is written with one append).

The grid is the one `nnsym experiment init-symmetry` runs: per coding and seed one baseline (k = 0, mu = 0) and
every (k > 0, mu != 0); seeds 0..n-1 (the same in every cell). Codings: hot (mse-onehot), cold (mse-onecold).

Example (the 10-epoch grid of docs/experiments/init-symmetry.md, one thread, niced):
  OMP_NUM_THREADS=1 nice -n 19 /usr/bin/python3 tools/peers/nn-symmetry/grid.py --epochs 10 --seeds 10 \
      --k 0,4,10 --mu 0,0.01,0.02,0.03,0.04,0.05,0.1,0.2 --out docs/experiments/data/init-symmetry-paper/peer.jsonl
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOSS = {"hot": "mse-onehot", "cold": "mse-onecold"}


def num_list(s):
    return [float(x) for x in s.split(",") if x.strip()]


def grid(codings, seeds, ks, mus):
    runs = []
    for coding in codings:
        for s in range(seeds):
            runs.append({"coding": coding, "k": 0, "mu": 0.0, "seed": s})
            for k in ks:
                for mu in mus:
                    if k > 0 and mu != 0:
                        runs.append({"coding": coding, "k": k, "mu": mu, "seed": s})
    return runs


def key(r, epochs):
    return f"{r['coding']}|k={int(r['k'])}|mu={float(r['mu'])}|seed={int(r['seed'])}|epochs={int(epochs)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--k", type=lambda s: [int(x) for x in s.split(",")], default=[0, 4, 10])
    ap.add_argument("--mu", type=num_list, default=[0, 0.05, 0.1, 0.2])
    ap.add_argument("--codings", default="hot,cold")
    ap.add_argument("--out", required=True, help="JSONL results file (appended; finished runs in it are skipped)")
    ap.add_argument("--shard", default=None, help="i/n: run only runs j = i (mod n)")
    ap.add_argument("--data", default=None, help="IDX directory (default: run_peer.py's)")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--dry-run", action="store_true", help="print the runs to do and exit")
    a = ap.parse_args()
    codings = [c.strip() for c in a.codings.split(",")]
    for c in codings:
        if c not in LOSS:
            print(f"grid.py: error: --codings: unknown coding {c!r}; known: hot, cold", file=sys.stderr)
            sys.exit(2)
    if any(k < 0 or k > 10 for k in a.k):
        print("grid.py: error: --k: each k must be in 0..10", file=sys.stderr)
        sys.exit(2)
    runs = grid(codings, a.seeds, a.k, a.mu)
    if a.shard:
        try:
            i, n = (int(x) for x in a.shard.split("/"))
            assert 0 <= i < n
        except Exception:
            print(f"grid.py: error: --shard: expected i/n with 0 <= i < n, got {a.shard!r}", file=sys.stderr)
            sys.exit(2)
        runs = [r for j, r in enumerate(runs) if j % n == i]
    done = set()
    if os.path.exists(a.out):
        with open(a.out) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        v = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line cut by a kill: that run is redone
                    if not v.get("error"):
                        done.add(key(v, v["epochs"]))
    todo = [r for r in runs if key(r, a.epochs) not in done]
    print(f"grid.py: {len(runs)} runs in this shard, {len(runs) - len(todo)} already in {a.out}, {len(todo)} to run", file=sys.stderr)
    if a.dry_run:
        for r in todo:
            print(key(r, a.epochs))
        return
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    stop = {"now": False}

    def on_signal(sig, frame):
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for n_done, r in enumerate(todo):
        if stop["now"]:
            break
        cmd = [a.python, os.path.join(HERE, "run_peer.py"), "--seed", str(r["seed"]), "--threads", "1"]
        if a.data:
            cmd += ["--data", a.data]
        cmd += ["--", "--targets", r["coding"], "--k", str(r["k"]), "--mw", str(r["mu"]), "--epochs", str(a.epochs), "--run", str(r["seed"])]
        t0 = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        rec = {**r, "loss": LOSS[r["coding"]], "epochs": a.epochs, "finishedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if p.returncode == 0 and p.stdout.strip():
            rec.update(json.loads(p.stdout.strip().splitlines()[-1]))
        else:
            if stop["now"]:
                break  # interrupted mid-run: not a failure, redone on resume
            rec["error"] = (p.stderr.strip().splitlines() or ["no output"])[-1] + f" (exit code {p.returncode})"
        with open(a.out, "a") as f:
            f.write(json.dumps(rec) + "\n")
        print(f"grid.py: [{n_done + 1}/{len(todo)}] {key(r, a.epochs)} best {rec.get('bestTestAccuracy', float('nan')):.4f} in {time.time() - t0:.0f} s", file=sys.stderr)
    if stop["now"]:
        print(f"grid.py: interrupted; finished runs are in {a.out}; rerun the same command to continue", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()

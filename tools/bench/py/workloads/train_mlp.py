"""Training throughput: drives tools/bench/train/torch_train.py (the training engineer's PyTorch reference, unchanged)
as a persistent child process, one request per timing. Mirrors tools/bench/workloads/train-mlp.js."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "train", "torch_train.py")
_proc = None
_seed = 0


def run(p):
    global _proc, _seed
    if _proc is None:
        _proc = subprocess.Popen([sys.executable, SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        json.loads(_proc.stdout.readline())  # ready line
    _seed += 1
    req = {"hidden": int(p["hidden"]), "batch": int(p["batch"]), "steps": int(p["steps"]), "seed": _seed}
    _proc.stdin.write(json.dumps(req) + "\n")
    _proc.stdin.flush()
    out = json.loads(_proc.stdout.readline())
    return {"units": out["samples"], "seconds": out["seconds"]}

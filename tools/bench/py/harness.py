"""PyTorch side of the nnsym benchmark harness (tools/bench/run.js).

A persistent process: reads one JSON request per line on stdin, {"workload": id, "params": {...}}, runs the
workload once and answers one JSON line {"units": n, "seconds": s, ...}. Workloads live in py/workloads/<id>.py as a
function run(params) -> dict; their setup is cached per params so only the measured work is timed.
Run with Debian's /usr/bin/python3 (python3-torch + libopenblas0-pthread).
"""
import importlib.util
import json
import os
import sys

import torch

torch.set_num_threads(int(os.environ.get("NNSYM_BENCH_TORCH_THREADS", "2")))
HERE = os.path.dirname(os.path.abspath(__file__))
_mods = {}


def load(wid):
    if wid not in _mods:
        path = os.path.join(HERE, "workloads", wid.replace("-", "_") + ".py")
        spec = importlib.util.spec_from_file_location(wid, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _mods[wid] = mod
    return _mods[wid]


def info():
    # Debian's torch is built with BLAS_INFO=generic and resolves libblas.so.3 through update-alternatives:
    # report the library actually mapped into this process.
    blas = "unknown"
    try:
        with open("/proc/self/maps") as f:
            libs = {l.split()[-1] for l in f if "blas" in l.lower()}
        blas = ", ".join(sorted(os.path.basename(x) for x in libs)) or "none mapped"
    except OSError:
        pass
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}


print(json.dumps({"ready": True, **info()}), flush=True)
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    req = json.loads(line)
    try:
        out = load(req["workload"]).run(req.get("params", {}))
    except Exception as e:  # report, keep serving
        out = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out), flush=True)

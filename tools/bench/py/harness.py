"""PyTorch side of the nnsym benchmark harness (tools/bench/run.js).

A persistent process: reads one JSON request per line on stdin, {"workload": id, "params": {...}}, runs the
workload once and answers one JSON line {"units": n, "seconds": s, ...}. Workloads live in py/workloads/<id>.py as a
function run(params) -> dict; their setup is cached per params so only the measured work is timed.
Run with Debian's /usr/bin/python3 (python3-torch + libopenblas0-pthread).
"""
import ctypes
import importlib.util
import json
import os
import sys

# torch.set_num_threads binds PyTorch's own OpenMP pool only: Debian's torch calls the pthreads OpenBLAS, whose pool
# keeps its own size (measured: set_num_threads(1) left OpenBLAS at 2 threads, 1024^3 mm at CPU/wall 1.96). Bind both
# before torch loads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS from the requested count, then check with
# openblas_get_num_threads (reported in info()) and set it explicitly where the library exports the setter.
THREADS = int(os.environ.get("NNSYM_BENCH_TORCH_THREADS", "2"))
os.environ["OPENBLAS_NUM_THREADS"] = str(THREADS)
os.environ["OMP_NUM_THREADS"] = str(THREADS)
os.environ["MKL_NUM_THREADS"] = str(THREADS)

import torch  # noqa: E402

torch.set_num_threads(THREADS)
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


def blas_threads():
    """Debian's torch is built with BLAS_INFO=generic and resolves libblas.so.3 through update-alternatives: find the
    library actually mapped into this process, bind its pool to THREADS and report (names, its thread count)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            libs = {l.split()[-1] for l in f if "blas" in l.lower() and l.split()[-1].startswith("/")}
    except OSError:
        pass
    n = None
    for lib in sorted(libs):
        try:
            h = ctypes.CDLL(lib)
        except OSError:
            continue
        if hasattr(h, "openblas_set_num_threads"):
            h.openblas_set_num_threads(THREADS)
        if hasattr(h, "openblas_get_num_threads"):
            n = h.openblas_get_num_threads()
    return (", ".join(sorted(os.path.basename(x) for x in libs)) or "none mapped"), n


torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # maps the BLAS
BLAS, BLAS_THREADS = blas_threads()


def info():
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": BLAS, "blasThreads": BLAS_THREADS}


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

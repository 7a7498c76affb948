"""sgemm n x n x n in float32: the machine's BLAS reference (2 n^3 flops per product)."""
import time
import torch

_cache = {}


def run(p):
    n = int(p.get("n", 1024))
    reps = int(p.get("reps", 5))
    if n not in _cache:
        g = torch.Generator().manual_seed(0)
        _cache[n] = (torch.randn(n, n, generator=g), torch.randn(n, n, generator=g))
    a, b = _cache[n]
    torch.mm(a, b)  # warm
    t = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b)
    s = time.perf_counter() - t
    return {"units": reps * 2 * n ** 3, "seconds": s}

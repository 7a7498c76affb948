"""Ensemble sample + evaluate: M tanh-nets, one hidden layer (width N, d_in, P inputs, d_out 1), NN-QFT standard
parameterisation (W0 ~ N(0, 1/d_in), b0 ~ N(0, 1), W1 ~ N(0, 1/N), b1 ~ N(0, 1)), in chunks of the size nnsym
uses; per chunk: sample with torch.randn (float32), forward, read the outputs into float64 power sums (the same
mean/variance/SE moments as nnsym's OutputMoments). Mirrors tools/bench/workloads/ensemble-tanh.js."""
import math
import time
import torch

_x = {}


def run(p):
    M, N, d, P = int(p["M"]), int(p["width"]), int(p["dIn"]), int(p["P"])
    C, reps = int(p["chunk"]), int(p.get("reps", 1))
    if (d, P) not in _x:
        _x[(d, P)] = torch.randn(P, d, generator=torch.Generator().manual_seed(0))
    xT = _x[(d, P)].T.contiguous()  # [d, P]
    sw0, sw1 = 1.0 / math.sqrt(d), 1.0 / math.sqrt(N)
    g = torch.Generator().manual_seed(0)
    t = time.perf_counter()
    with torch.no_grad():
        for _ in range(reps):
            s = torch.zeros(4, P, dtype=torch.float64)
            shift = None
            for c0 in range(0, M, C):
                m = min(C, M - c0)
                W0 = torch.randn(m, N, d, generator=g) * sw0
                b0 = torch.randn(m, N, 1, generator=g)
                W1 = torch.randn(m, 1, N, generator=g) * sw1
                b1 = torch.randn(m, 1, 1, generator=g)
                h = torch.tanh((W0.reshape(m * N, d) @ xT).reshape(m, N, P) + b0)
                f = (torch.bmm(W1, h) + b1).reshape(m, P).to(torch.float64)
                if shift is None:
                    shift = f[0].clone()
                dd = f - shift
                d2 = dd * dd
                s[0] += dd.sum(0)
                s[1] += d2.sum(0)
                s[2] += (d2 * dd).sum(0)
                s[3] += (d2 * d2).sum(0)
    return {"units": reps * M, "seconds": time.perf_counter() - t}

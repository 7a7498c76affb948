"""Monte-Carlo G2 and G4 of the Gauss-net (Halverson-Maiti-Stoner 2008.08601 eq. 2.14): f(x) = W1 exp(W0 x + b0 -
q(x)) + b1, q(x) = sb^2 + sw^2 |x|^2 / d_in, standard parameterisation (sw = sb = 1), width N, 6 1-D inputs.
Per chunk (nnsym's chunk size): torch.randn sampling (float32), forward, float64 products over every non-decreasing
tuple of orders 2 and 4 (21 + 126), accumulated into 16 interleaved groups (group = global index mod 16) by
shifted sums and Chan et al.'s merge, as nnsym's CorrelatorAccumulator does. Mirrors
tools/bench/workloads/correlators-gauss.js."""
import itertools
import math
import time
import torch

INPUTS = [-1.0, -0.6, -0.2, 0.2, 0.6, 1.0]
B = 16


def run(p):
    M, N, C = int(p["M"]), int(p["width"]), int(p["chunk"])
    P = len(INPUTS)
    x = torch.tensor(INPUTS, dtype=torch.float32)  # d_in = 1
    q = 1.0 + x * x
    t2 = torch.tensor(list(itertools.combinations_with_replacement(range(P), 2)))
    t4 = torch.tensor(list(itertools.combinations_with_replacement(range(P), 4)))
    S = len(t2) + len(t4)
    g = torch.Generator().manual_seed(0)
    t = time.perf_counter()
    with torch.no_grad():
        n = torch.zeros(B, dtype=torch.float64)
        mean = torch.zeros(B, S, dtype=torch.float64)
        m2 = torch.zeros(B, S, dtype=torch.float64)
        for c0 in range(0, M, C):
            m = min(C, M - c0)
            W0 = torch.randn(m, N, 1, generator=g)
            b0 = torch.randn(m, N, 1, generator=g)
            W1 = torch.randn(m, 1, N, generator=g) * (1.0 / math.sqrt(N))
            b1 = torch.randn(m, 1, 1, generator=g)
            h = torch.exp(W0 * x + b0 - q)  # [m, N, P]
            f = (torch.bmm(W1, h) + b1).reshape(m, P).to(torch.float64)
            p2 = f[:, t2[:, 0]] * f[:, t2[:, 1]]
            p4 = f[:, t4[:, 0]] * f[:, t4[:, 1]] * f[:, t4[:, 2]] * f[:, t4[:, 3]]
            prods = torch.cat([p2, p4], 1)  # [m, S]
            gi = (torch.arange(m) + c0) % B
            d = prods - mean[gi]
            s1 = torch.zeros(B, S, dtype=torch.float64).index_add_(0, gi, d)
            s2 = torch.zeros(B, S, dtype=torch.float64).index_add_(0, gi, d * d)
            nb = torch.bincount(gi, minlength=B).to(torch.float64)[:, None]
            nbs = nb.clamp(min=1)
            mb = mean + s1 / nbs
            m2b = (s2 - s1 * s1 / nbs).clamp(min=0)
            nt = n[:, None] + nb
            delta = mb - mean
            mean = mean + delta * nb / nt.clamp(min=1)
            m2 = m2 + m2b + delta * delta * n[:, None] * nb / nt.clamp(min=1)
            n = nt[:, 0]
    return {"units": M, "seconds": time.perf_counter() - t}

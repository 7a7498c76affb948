"""Empirical NTK of a dIn-width-width-dOut relu MLP (NTK parameterisation) on P inputs, full [P*dOut]^2 kernel,
by closed-form layer Jacobians (the same algorithm as @nnsym/ntk mlpStructuredNtk):

  Theta_ab(x, x') = sum_l (alpha_l^2 h_l(x).h_l(x') + beta^2) delta^a_{l+1}(x).delta^b_{l+1}(x'),

delta^a_{L+1} = e_a, delta^a_l = phi'(z_l) * alpha_l W_l^T delta^a_{l+1}. float32, torch threads from the harness.
"""
import math
import time
import torch

_cache = {}


def setup(dIn, width, dOut, P):
    g = torch.Generator().manual_seed(0)
    dims = [dIn, width, width, dOut]
    Ws = [torch.randn(dims[l + 1], dims[l], generator=g) for l in range(3)]  # [out, in], N(0,1)
    bs = [torch.randn(dims[l + 1], generator=g) for l in range(3)]
    x = torch.randn(P, dIn, generator=g)
    return Ws, bs, x


def ntk(Ws, bs, x, sw=math.sqrt(2.0), sb=0.1):
    L = len(Ws) - 1
    P = x.shape[0]
    dOut = Ws[L].shape[0]
    alpha = [sw / math.sqrt(W.shape[1]) for W in Ws]
    hs, dphis = [x], []
    h = x
    for l in range(L):
        z = alpha[l] * (h @ Ws[l].T) + sb * bs[l]
        dphis.append((z > 0).to(z.dtype))
        h = torch.relu(z)
        hs.append(h)
    scal = alpha[L] ** 2 * (hs[L] @ hs[L].T) + sb * sb
    total = (scal[:, None, :, None] * torch.eye(dOut)[None, :, None, :]).reshape(P * dOut, P * dOut)
    D = None
    for l in range(L - 1, -1, -1):
        if D is None:
            back = (alpha[L] * Ws[L])[:, None, :].expand(dOut, P, Ws[L].shape[1])  # [dOut, P, n]
        else:
            back = alpha[l + 1] * (D @ Ws[l + 1])
        D = back * dphis[l][None]
        Dp = D.permute(1, 0, 2).reshape(P * dOut, -1)
        delta = (Dp @ Dp.T).reshape(P, dOut, P, dOut)
        scal = alpha[l] ** 2 * (hs[l] @ hs[l].T) + sb * sb
        total = total + (delta * scal[:, None, :, None]).reshape(P * dOut, P * dOut)
    return total


def run(p):
    key = (int(p.get("dIn", 784)), int(p.get("width", 512)), int(p.get("dOut", 10)), int(p.get("P", 128)))
    reps = int(p.get("reps", 2))
    if key not in _cache:
        _cache[key] = setup(*key)
    Ws, bs, x = _cache[key]
    with torch.no_grad():
        ntk(Ws, bs, x)  # warm
        t = time.perf_counter()
        for _ in range(reps):
            ntk(Ws, bs, x)
        s = time.perf_counter() - t
    return {"units": reps, "seconds": s}

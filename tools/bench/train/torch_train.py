"""PyTorch reference for tools/bench/train/bench-train.js: the same MLP training step nnsym's trainer runs.

Persistent process: one JSON request per line on stdin {"hidden": H, "batch": B, "steps": S, "seed": s}; answers one
JSON line {"samples": n, "seconds": t}. Work per step, identical to nnsym's `trainMlp` with --loss xent
--optimizer adam: slice a batch of a fixed random float32 data set [S*B, 784], forward 784-H-10 (ReLU, biases),
softmax cross-entropy (mean), backward, Adam(lr 1e-3) step, loss.item() (a host sync, as nnsym reads the loss
every step). Two warm-up steps before timing. Threads: NNSYM_BENCH_TORCH_THREADS (default 2).
"""
import json
import os
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("NNSYM_BENCH_TORCH_THREADS", "2")))
print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)

for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    h, b, steps = int(req["hidden"]), int(req["batch"]), int(req["steps"])
    torch.manual_seed(int(req.get("seed", 0)))
    x = torch.randn(steps * b, 784)
    y = torch.randint(0, 10, (steps * b,))
    model = torch.nn.Sequential(torch.nn.Linear(784, h), torch.nn.ReLU(), torch.nn.Linear(h, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()

    def step(i):
        xb = x[i * b:(i + 1) * b]
        yb = y[i * b:(i + 1) * b]
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    step(0)
    step(1)
    t0 = time.perf_counter()
    for i in range(steps):
        step(i)
    dt = time.perf_counter() - t0
    print(json.dumps({"samples": steps * b, "seconds": dt}), flush=True)

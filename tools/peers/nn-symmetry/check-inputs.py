#!/usr/bin/env python3
"""Both sides of the side-by-side see the same inputs: nnsym's normalised batch rows (`--dataset idx:DIR
--normalize fashion-mnist-paper`, gathered by the trainer) against the peer's stand-in
(`datasets.FashionMNIST` + `ToTensor` + `Normalize((0.1307,), (0.3081,))`) for a few train and test images:
same counts, labels and pixels (difference at float32 rounding). Needs the built core and datasets (packages/{core,datasets}/dist).

  python3 tools/peers/nn-symmetry/check-inputs.py [IDX_DIR]
"""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "../../.."))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/nnsym/datasets/fashion-mnist-zalando")
js = r"""
const core = require(process.argv[1] + '/packages/core/dist/index.js');
const data = require(process.argv[1] + '/packages/datasets/dist/index.js');
const { gather } = require(process.argv[1] + '/packages/core/dist/train/trainer.js');
(async () => {
  data.registerDatasetPlugins(core.plugins);
  const ds = core.normalizeDataset(await data.loadDataset('idx', { dir: process.argv[2] }), core.parseNormalization('fashion-mnist-paper'));
  const out = {};
  for (const [name, split] of [['train', ds.train], ['test', ds.test]]) {
    const idx = Int32Array.from([0, 1, 12345 % split.n, split.n - 1]);
    const xb = new Float32Array(4 * split.d); const yb = new Int32Array(4);
    gather(split, idx, 0, 4, xb, yb);
    out[name] = { idx: Array.from(idx), x: Array.from(xb), y: Array.from(yb), n: split.n };
  }
  console.log(JSON.stringify(out));
})();
"""
nn = json.loads(subprocess.run(["node", "-e", js, root, data], check=True, capture_output=True, text=True).stdout)
sys.path.insert(0, os.path.join(here, "standin"))
os.environ["NNSYM_PEER_FASHION_MNIST_DIR"] = data
import numpy as np  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402  (the stand-in)

t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
ok = True
for name, train in (("train", True), ("test", False)):
    ds = datasets.FashionMNIST("../data", train=train, transform=t)
    v = nn[name]
    worst = 0.0
    same = len(ds) == v["n"]
    for j, i in enumerate(v["idx"]):
        x, y = ds[i]
        same = same and tuple(x.shape) == (1, 28, 28) and y == v["y"][j]
        worst = max(worst, float(np.max(np.abs(x.numpy().reshape(-1) - np.array(v["x"][j * 784:(j + 1) * 784], np.float32)))))
    # float32 rounding of values up to (1 - 0.1307) / 0.3081 = 2.82: a few ulps (ulp(2.82) = 2.4e-7)
    ok = ok and same and worst < 1e-6
    print(f"{name}: {len(ds)} images; same counts and labels: {same}; max |nnsym - peer| input difference {worst:.3g}")
sys.exit(0 if ok else 1)

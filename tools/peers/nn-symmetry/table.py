#!/usr/bin/env python3
"""Side-by-side tables of the init-symmetry grid: nnsym (`experiment init-symmetry --protocol paper` results) vs the
authors' script (tools/peers/nn-symmetry/grid.py's JSONL), per (epochs, coding, k, mu) cell.

Per cell and side: mean ± standard error of the best test accuracy over epochs (the paper's number; the final
epoch's in a second column) over seeds, with the run count; the side's paired change against its own unshifted
init (k = 0, mu = 0) of the same seed, mean ± se of the per-seed differences; then nnsym - peer for both (the
sides' seeds are independent draws, so se = sqrt(se_nnsym^2 + se_peer^2)) and a verdict: "agree" when both
differences are within 2 se (about a 5 % false alarm rate per cell when the sides agree), "differ" otherwise, and
"too few runs" below 3 runs on either side.

  python3 tools/peers/nn-symmetry/table.py docs/experiments/data/init-symmetry-paper            # print markdown
  python3 tools/peers/nn-symmetry/table.py docs/experiments/data/init-symmetry-paper --doc docs/experiments/init-symmetry.md
      # rewrite the block between <!-- side-by-side:begin --> and <!-- side-by-side:end --> in the doc
"""
import argparse
import glob
import json
import math
import os
import re
import sys

CODING = {"mse-onehot": "hot", "mse-onecold": "cold"}


def load_nnsym(d):
    runs = {}
    for f in sorted(glob.glob(os.path.join(d, "nnsym-*.json"))):
        v = json.load(open(f))
        ep = v["setup"]["epochs"]
        for r in v["runs"]:
            if r.get("error"):
                continue
            runs[(ep, CODING[r["loss"]], int(r["k"]), float(r["mu"]), int(r["seed"]))] = r
    return runs


def load_peer(d):
    runs = {}
    p = os.path.join(d, "peer.jsonl")
    if os.path.exists(p):
        for line in open(p):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue
            if r.get("error"):
                continue
            runs[(int(r["epochs"]), r["coding"], int(r["k"]), float(r["mu"]), int(r["seed"]))] = r
    return runs


def stats(xs):
    n = len(xs)
    if n == 0:
        return (math.nan, math.nan, 0)
    m = sum(xs) / n
    if n < 2:
        return (m, math.nan, n)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return (m, sd / math.sqrt(n), n)


def cell(runs, ep, coding, k, mu, field):
    base = k == 0 or mu == 0
    key = (lambda s: (ep, coding, 0, 0.0, s)) if base else (lambda s: (ep, coding, k, mu, s))
    seeds = sorted({s for (e, c, kk, m, s) in runs if e == ep and c == coding})
    acc = [runs[key(s)][field] for s in seeds if key(s) in runs]
    delta = [] if base else [runs[key(s)][field] - runs[(ep, coding, 0, 0.0, s)][field] for s in seeds if key(s) in runs and (ep, coding, 0, 0.0, s) in runs]
    return stats(acc), (0.0, 0.0, len(acc)) if base else stats(delta)


def pm(m, se, n=None, scale=100.0):
    if not math.isfinite(m):
        return "—"
    s = f"{scale * m:.2f}"
    if math.isfinite(se):
        s += f" ± {scale * se:.2f}"
    if n is not None:
        s += f" ({n})"
    return s


def diff(a, b):
    m = a[0] - b[0]
    se = math.sqrt(a[1] ** 2 + b[1] ** 2) if math.isfinite(a[1]) and math.isfinite(b[1]) else math.nan
    return m, se


def build(d):
    nn, pe = load_nnsym(d), load_peer(d)
    lines = []
    cells = sorted({(e, c, k, m) for (e, c, k, m, s) in list(nn) + list(pe)}, key=lambda t: (t[0], {"hot": 0, "cold": 1}[t[1]], t[2], t[3]))
    total_nn, total_pe = len(nn), len(pe)
    lines.append(f"Runs finished: nnsym {total_nn}, authors' script {total_pe} (counts per cell in brackets). Accuracies in %, mean ± standard error over seeds.")
    lines.append("")
    for ep in sorted({c[0] for c in cells}):
        for coding in ("hot", "cold"):
            cs = [c for c in cells if c[0] == ep and c[1] == coding]
            if not cs:
                continue
            lines.append(f"**{ep} epochs, one-{coding}** (best test accuracy over epochs; Δ = paired change vs the same side's unshifted init, same seeds)")
            lines.append("")
            lines.append("| k | μ | nnsym best | authors best | nnsym − authors | nnsym Δ | authors Δ | Δ nnsym − authors | final: nnsym − authors | verdict |")
            lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for (_, _, k, mu) in cs:
                a, da = cell(nn, ep, coding, k, mu, "bestTestAccuracy")
                b, db = cell(pe, ep, coding, k, mu, "bestTestAccuracy")
                af, _ = cell(nn, ep, coding, k, mu, "finalTestAccuracy")
                bf, _ = cell(pe, ep, coding, k, mu, "finalTestAccuracy")
                dd, dse = diff(a, b)
                ddd, ddse = diff(da, db)
                fd, fse = diff(af, bf)
                base = k == 0 or mu == 0
                if min(a[2], b[2]) < 3:
                    verdict = "too few runs"
                else:
                    ok = abs(dd) <= 2 * dse and (base or abs(ddd) <= 2 * ddse)
                    verdict = "agree within error" if ok else "differ"
                lines.append(
                    f"| {k} | {mu:g} | {pm(*a)} | {pm(*b)} | {pm(dd, dse)} | {'baseline' if base else pm(*da[:2])} | {'baseline' if base else pm(*db[:2])} | {'—' if base else pm(ddd, ddse)} | {pm(fd, fse)} | {verdict} |"
                )
            lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="results directory (nnsym-*.json, peer.jsonl)")
    ap.add_argument("--doc", help="markdown file whose side-by-side block to rewrite")
    a = ap.parse_args()
    md = build(a.dir)
    if not a.doc:
        print(md)
        return
    text = open(a.doc).read()
    pat = re.compile(r"(<!-- side-by-side:begin -->\n).*?(<!-- side-by-side:end -->)", re.S)
    if not pat.search(text):
        print(f"table.py: error: --doc: {a.doc} has no <!-- side-by-side:begin --> ... <!-- side-by-side:end --> block", file=sys.stderr)
        sys.exit(2)
    open(a.doc, "w").write(pat.sub(lambda m: m.group(1) + md + "\n" + m.group(2), text))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Print the markdown tables of docs/experiments/nn-qft.md from the JSON results of the width sweeps.

usage: python3 docs/experiments/data/nnqft-table.py docs/experiments/data/nnqft-{relu,erf,gauss}-{mc,exact}.json
"""
import json
import sys


def fmt(v, e=None):
    if v is None:
        return '-'
    s = f'{v:.3g}' if 1e-3 <= abs(v) < 1e4 else f'{v:.2e}'
    if e:
        s += f' ± {e:.1g}' if 1e-3 <= abs(e) < 1e4 else f' ± {e:.0e}'
    return s


for path in sys.argv[1:]:
    r = json.load(open(path))
    sw = r['sweep']
    M = r['results'][0].get('networks')
    print(f"\n**{r['arch']}, {r['method']}{f', M = {M:,} networks per width' if M else ''}** (`{path.split('/')[-1]}`)\n")
    print('| N | (G2−K)/K | (G4−G4_GP)/G4_GP | m4 = mean abs | (G6−G6_GP)/G6_GP | G6_c / G6_GP |')
    print('|---:|---:|---:|---:|---:|---:|')
    for row in sw['rows']:
        o = row['orders']
        print(f"| {row['width']} | {fmt(o['2']['meanDeviation'], o['2']['meanDeviationStderr'])} | {fmt(o['4']['meanDeviation'], o['4']['meanDeviationStderr'])} | "
              f"{fmt(o['4']['meanAbsDeviation'], o['4']['meanAbsDeviationStderr'])} | {fmt(o['6']['meanDeviation'], o['6']['meanDeviationStderr'])} | "
              f"{fmt(o['6']['meanConnectedDeviation'], o['6']['meanConnectedDeviationStderr'])} |")
    print('\n| fit | model | coefficients | χ²/dof | log-log slope |')
    print('|---|---|---|---|---|')
    for f in sw['fits']:
        fit = f['fit']
        terms = ', '.join(f"{'a' if p == 0 else f'c{p}'} = {fmt(c, e)}" for p, c, e in zip(fit['powers'], fit['coefficients'], fit['stderr']))
        slope = f['slope']
        print(f"| order {f['order']} {f['quantity']} | {f['model']} | {terms} | {fmt(fit['chi2'])}/{fit['dof']} | {fmt(slope['slope'], slope['slopeStderr'])} |")

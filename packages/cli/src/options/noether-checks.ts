import { Option, type Command } from 'commander';
import { checkWork, UsageError } from '@nnsym/core';
import { balanceObserver, ntkEnergyObserver, type BalanceReport, type Loss64, type Mlp64, type NoetherData, type NoetherObserver, type NtkEnergyReport } from '@nnsym/weight-space';
import { positiveInt } from '../flags';

/** The flags of `nnsym noether`'s two extra measurements (Głuch & Urbanke's boundedness and time-translation results). */
export interface NoetherCheckFlags {
  balance?: boolean;
  ntkEnergy?: number | boolean;
}

export interface NoetherCheckReports {
  balance?: BalanceReport;
  ntkEnergy?: NtkEnergyReport;
}

/**
 * Add `--balance` (per-unit |w_in|^2 + b^2 - d |w_out|^2 along the run: a charge for positively homogeneous activations,
 * a contrast for any other) and `--ntk-energy [k]` (dL/dt of the run against -r^T Θ r / n^2 from the empirical NTK at k
 * checkpoints; full-batch gd/flow only).
 *
 * @example addNoetherCheckOptions(cmd) // nnsym noether --arch tanh-net --balance
 */
export function addNoetherCheckOptions(cmd: Command): Command {
  return cmd
    .option('--balance', 'track every hidden unit\'s |w_in|^2 + b^2 - d|w_out|^2 and its norms (conserved for relu-type activations, not otherwise)')
    .addOption(new Option('--ntk-energy [k]', 'check dL/dt = -r^T Theta r / n^2 (empirical NTK Theta) against the run\'s loss at k checkpoints (default 8; gd/flow)').argParser(positiveInt('--ntk-energy', 1000)));
}

/** Reject combinations the checks cannot measure (one line naming the flag) and ask before a large NTK. */
export function checkNoetherChecks(o: NoetherCheckFlags & { optimizer: string; augment: string; limitTrain: number; dOut: number; yes?: boolean }, params: number): void {
  if (!o.ntkEnergy) return;
  if (o.optimizer !== 'gd' && o.optimizer !== 'flow') throw new UsageError(`--ntk-energy: dL/dt = -r^T Theta r / n^2 holds for full-batch gradient flow; use --optimizer gd or flow, not ${o.optimizer}`, '--ntk-energy');
  if (o.augment !== 'none') throw new UsageError('--ntk-energy: with --augment each step sees different data, so the loss on the training set is not the flow\'s; drop --augment', '--ntk-energy');
  const m = o.limitTrain * o.dOut;
  checkWork({ units: ntkCheckpoints(o) * m * m * params, limit: 1e10, unit: 'multiply-adds (checkpoints x (n d_out)^2 x params)', flag: '--ntk-energy', yes: o.yes });
}

const ntkCheckpoints = (o: NoetherCheckFlags): number => (typeof o.ntkEnergy === 'number' ? o.ntkEnergy : 8);

/** The observers one run needs for the requested checks, and their reports after the run. */
export function noetherChecks(
  o: NoetherCheckFlags,
  run: { net: Mlp64; data: NoetherData; loss: Loss64; degree?: number; lr: number; steps: number },
): { observers: NoetherObserver[]; reports(): NoetherCheckReports } {
  const bal = o.balance ? balanceObserver(run.net, run.degree ?? 1, run.degree !== undefined) : undefined;
  const ntk = o.ntkEnergy ? ntkEnergyObserver(run.net, run.data, run.loss, run.lr, run.steps, ntkCheckpoints(o)) : undefined;
  return {
    observers: [bal, ntk].filter((x): x is NonNullable<typeof x> => x !== undefined),
    reports: () => ({ ...(bal ? { balance: bal.report() } : {}), ...(ntk ? { ntkEnergy: ntk.report() } : {}) }),
  };
}

/** The columns an --eta-sweep row gets from the checks. */
export function sweepCheckColumns(r: NoetherCheckReports): { balanceDrift?: number; normChange?: number; ntkEnergyError?: number } {
  return {
    ...(r.balance ? { balanceDrift: r.balance.maxImbalanceDrift, normChange: r.balance.maxNormChange } : {}),
    ...(r.ntkEnergy ? { ntkEnergyError: r.ntkEnergy.maxRelativeError } : {}),
  };
}

/** Text output of the checks (and of their --eta-sweep columns). */
export function printNoetherChecks(out: (s: string) => void, r: NoetherCheckReports, sweep?: ({ lr: number; steps: number } & ReturnType<typeof sweepCheckColumns>)[]): void {
  const e = (x: number) => x.toExponential(2);
  if (r.balance) {
    const b = r.balance;
    out(`\nbalance D = |w_in|^2 + b^2 - ${b.degree}|w_out|^2 over ${b.units} hidden units (${b.symmetric ? 'a Noether charge: rescaling symmetry' : 'no symmetry: a contrast, nothing conserves it'}):`);
    out(`  drift of D: max ${e(b.maxImbalanceDrift)}, median ${e(b.medianImbalanceDrift)};  change of the norms: max ${e(b.maxNormChange)}, median ${e(b.medianNormChange)}  (relative to |w_in|^2 + b^2 + d|w_out|^2 at t = 0)`);
    for (const l of b.layers) out(`  layer ${l.layer}: |W|^2+|b|^2 ${l.inInitial.toFixed(4)} -> ${l.inFinal.toFixed(4)}, next |W|^2 ${l.outInitial.toFixed(4)} -> ${l.outFinal.toFixed(4)}, layer imbalance drift ${e(l.imbalanceDrift)}`);
  }
  if (r.ntkEnergy) {
    const t = r.ntkEnergy;
    out('\nenergy balance dL/dt = -r^T Theta r / n^2 (empirical NTK) vs the run\'s (L(t+1) - L(t-1)) / 2 eta:');
    out('  step      loss          NTK rate       run rate    rel. error');
    for (const p of t.points) out(`  ${String(p.step).padEnd(8)} ${p.loss.toExponential(4)}  ${p.ntkRate.toExponential(5).padStart(13)}  ${p.fdRate.toExponential(5).padStart(13)}   ${e(p.relativeError)}`);
    out(`  max relative error ${e(t.maxRelativeError)}; NTK identity vs |grad L|^2: ${e(t.maxIdentityError)}`);
  }
  if (sweep && (r.balance || r.ntkEnergy)) {
    out(`\n  eta        steps${r.balance ? '   balance drift   norm change' : ''}${r.ntkEnergy ? '   NTK energy error' : ''}`);
    for (const s of sweep)
      out(`  ${String(s.lr).padEnd(9)} ${String(s.steps).padStart(6)}${r.balance ? `   ${e(s.balanceDrift ?? NaN).padStart(13)}   ${e(s.normChange ?? NaN).padStart(11)}` : ''}${r.ntkEnergy ? `   ${e(s.ntkEnergyError ?? NaN).padStart(16)}` : ''}`);
  }
}

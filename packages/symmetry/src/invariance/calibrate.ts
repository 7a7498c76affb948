import { UsageError, type SeedKey, nextMacrotask } from '@nnsym/core';
import { createOrthogonal, createSignFlips, createSpecialOrthogonal, createTranslations, type GroupAction, type GroupSpace } from '@nnsym/groups';
import { clopperPearson, invarianceRepeat } from './repeat';
import type { EnsembleSource, StudyEnsemble } from './types';

/** One case of a calibration battery: an ensemble, a group, and whether its density is exactly invariant. */
export interface CalibrationCase {
  id: string;
  /** `null`: the density is exactly invariant under the group at these orders ("broken" rate = size); `alternative`: it is not (rate = power). */
  kind: 'null' | 'alternative';
  description: string;
  ensemble: StudyEnsemble;
  inputs: readonly Float64Array[];
  group: GroupAction;
  on: GroupSpace;
  orders?: number[];
  /** The `nnsym symmetry` flags that run this case (for the docs table). */
  flags: string;
}

const pt = (...xs: number[]) => Float64Array.from(xs);

/**
 * The calibration battery (issue 16): exactly invariant densities in every regime a user reaches with the defaults
 * (output and input groups, orders 2 to 6, the heavy-tailed gauss-net and exp-net and relu-net at high order) and
 * breaking alternatives (a W1 row mean, relu-net under translations, a W0 mean). M is the `networks` of each case.
 *
 * When to use: `nnsym symmetry --calibrate`; `calibrationBattery('ci')` is the reduced set the unit tests run.
 *
 * @example
 * calibrationBattery('full').map((c) => c.id);
 */
export function calibrationBattery(which: 'full' | 'ci' = 'full'): CalibrationCase[] {
  const g = (arch: string, extra: Partial<StudyEnsemble> = {}): StudyEnsemble => ({ arch, dIn: 1, dOut: 1, width: 10, networks: 5000, ...extra });
  const full: CalibrationCase[] = [
    {
      id: 'translation-gauss',
      kind: 'null',
      description: 'gauss-net G2 under translations of the inputs (exact at every width; log-normal products)',
      ensemble: g('gauss-net'),
      inputs: [pt(0.3), pt(0.8)],
      group: createTranslations(1),
      on: 'inputs',
      orders: [2],
      flags: "--arch gauss-net --d-in 1 --inputs '[0.3,0.8]' --group translations --on inputs --orders 2 --ensemble 5000 --width 10",
    },
    {
      id: 'so-outputs-gauss',
      kind: 'null',
      description: 'gauss-net, SO(3) on outputs, orders 2, 4',
      ensemble: g('gauss-net', { dOut: 3 }),
      inputs: [pt(0.5)],
      group: createSpecialOrthogonal(3),
      on: 'outputs',
      flags: '--arch gauss-net --d-out 3 --group so --on outputs --ensemble 5000 --width 10',
    },
    {
      id: 'so-inputs-gauss',
      kind: 'null',
      description: 'gauss-net, SO(3) on inputs (isotropic W0), orders 2, 4',
      ensemble: g('gauss-net', { dIn: 3 }),
      inputs: [pt(0.5, -0.3, 0.8)],
      group: createSpecialOrthogonal(3),
      on: 'inputs',
      flags: "--arch gauss-net --d-in 3 --inputs '[[0.5,-0.3,0.8]]' --group so --on inputs --ensemble 5000 --width 10",
    },
    {
      id: 'relu-order6',
      kind: 'null',
      description: 'relu-net σ_b = 0, O(2) on outputs, orders 2, 4, 6',
      ensemble: g('relu-net', { dOut: 2, sb: 0 }),
      inputs: [pt(0.5)],
      group: createOrthogonal(2),
      on: 'outputs',
      orders: [2, 4, 6],
      flags: '--arch relu-net --sigma-b 0 --d-out 2 --group o --on outputs --orders 2,4,6 --ensemble 5000 --width 10',
    },
    {
      id: 'erf-order6',
      kind: 'null',
      description: 'erf-net, SO(2) on outputs, orders 2, 4, 6',
      ensemble: g('erf-net', { dOut: 2 }),
      inputs: [pt(0.5)],
      group: createSpecialOrthogonal(2),
      on: 'outputs',
      orders: [2, 4, 6],
      flags: '--arch erf-net --d-out 2 --group so --on outputs --orders 2,4,6 --ensemble 5000 --width 10',
    },
    {
      id: 'exp-net-inputs',
      kind: 'null',
      description: 'exp-net (unnormalised exponential units), SO(2) on inputs, orders 2, 4',
      ensemble: g('exp-net', { dIn: 2 }),
      inputs: [pt(0.5, 0.5)],
      group: createSpecialOrthogonal(2),
      on: 'inputs',
      flags: "--arch exp-net --d-in 2 --inputs '[[0.5,0.5]]' --group so --on inputs --ensemble 5000 --width 10",
    },
    {
      id: 'signflip-tanh',
      kind: 'null',
      description: 'tanh-net, Z2^2 sign flips on inputs (every element), orders 2, 4',
      ensemble: g('tanh-net', { dIn: 2, sb: 0 }),
      inputs: [pt(0.5, -0.2), pt(1, 0.3)],
      group: createSignFlips(2),
      on: 'inputs',
      flags: "--arch tanh-net --sigma-b 0 --d-in 2 --inputs '[[0.5,-0.2],[1,0.3]]' --group sign-flips --on inputs --ensemble 5000 --width 10",
    },
    {
      id: 'mean-0.1-gauss',
      kind: 'alternative',
      description: 'gauss-net d_out 3, W1 row 0 mean μ = 0.1, SO(3) on outputs, default orders',
      ensemble: g('gauss-net', { dOut: 3, breakMean: 0.1, breakRows: 1 }),
      inputs: [pt(0.5)],
      group: createSpecialOrthogonal(3),
      on: 'outputs',
      flags: '--arch gauss-net --d-out 3 --break-mean 0.1 --break-rows 1 --group so --on outputs --ensemble 5000 --width 10',
    },
    {
      id: 'translation-relu',
      kind: 'alternative',
      description: 'relu-net G2 under translations (not invariant)',
      ensemble: g('relu-net'),
      inputs: [pt(0.3), pt(0.8)],
      group: createTranslations(1),
      on: 'inputs',
      orders: [2],
      flags: "--arch relu-net --d-in 1 --inputs '[0.3,0.8]' --group translations --on inputs --orders 2 --ensemble 5000 --width 10",
    },
    {
      id: 'input-mean-tanh',
      kind: 'alternative',
      description: 'tanh-net, W0 mean 0.5 (every entry), SO(3) on inputs, default orders',
      ensemble: g('tanh-net', { dIn: 3, inputMean: 0.5 }),
      inputs: [pt(0.5, -0.3, 0.8)],
      group: createSpecialOrthogonal(3),
      on: 'inputs',
      flags: "--arch tanh-net --d-in 3 --input-mean 0.5 --inputs '[[0.5,-0.3,0.8]]' --group so --on inputs --ensemble 5000 --width 10",
    },
  ];
  if (which === 'full') return full;
  // Reduced CI set: the heavy-tailed translation null and the power case at their M, the SO(3) output null at M = 2000.
  return full
    .filter((c) => ['translation-gauss', 'so-outputs-gauss', 'mean-0.1-gauss'].includes(c.id))
    .map((c) => (c.id === 'so-outputs-gauss' ? { ...c, ensemble: { ...c.ensemble, networks: 2000 }, flags: c.flags.replace('--ensemble 5000', '--ensemble 2000') } : c));
}

/** One row of a calibration table. */
export interface CalibrationRow {
  id: string;
  kind: 'null' | 'alternative';
  description: string;
  flags: string;
  networks: number;
  width: number;
  repeat: number;
  broken: number;
  invariant: number;
  inconclusive: number;
  /** broken / repeat with its Clopper–Pearson 95% interval: the size (null) or the power (alternative). */
  brokenRate: number;
  brokenInterval: [number, number];
  inconclusiveRate: number;
  inconclusiveInterval: [number, number];
  seconds: number;
}

/** Options of {@link runCalibration}. */
export interface CalibrationOptions {
  cases?: CalibrationCase[];
  repeat?: number;
  alpha?: number;
  seed?: SeedKey;
  source?: EnsembleSource;
  /** Called after every case. */
  onCase?: (row: CalibrationRow, index: number, total: number) => void;
  /** Stop between cases when aborted (Ctrl-C): the rows of the cases finished are returned (fewer than `cases`). */
  signal?: AbortSignal;
}

/**
 * Run a calibration battery: every case repeated on `repeat` independent ensembles (default 100), counts of each
 * verdict, the "broken" rate with its Clopper–Pearson interval (size for null cases, power for alternatives) and
 * the inconclusive rate.
 *
 * When to use: `nnsym symmetry --calibrate`, the docs table, the CI calibration tests. Cost: Σ repeat · M networks.
 *
 * @example
 * const rows = await runCalibration({ cases: calibrationBattery('ci'), repeat: 40, source: referenceSource });
 */
export async function runCalibration(opts: CalibrationOptions = {}): Promise<CalibrationRow[]> {
  const cases = opts.cases ?? calibrationBattery('full');
  const repeat = opts.repeat ?? 100;
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new UsageError(`--repeats must be a positive integer, got ${repeat}`, '--repeats');
  const rows: CalibrationRow[] = [];
  for (const [i, c] of cases.entries()) {
    if (opts.signal?.aborted) break;
    const t0 = Date.now();
    const r = await invarianceRepeat(
      { ensemble: c.ensemble, inputs: c.inputs, group: c.group, on: c.on, orders: c.orders, alpha: opts.alpha, seed: opts.seed, source: opts.source, testUnbroken: false },
      repeat,
    );
    const row: CalibrationRow = {
      id: c.id,
      kind: c.kind,
      description: c.description,
      flags: c.flags,
      networks: c.ensemble.networks,
      width: c.ensemble.width,
      repeat,
      broken: r.broken,
      invariant: r.invariant,
      inconclusive: r.inconclusive,
      brokenRate: r.brokenRate,
      brokenInterval: r.brokenInterval,
      inconclusiveRate: r.inconclusiveRate,
      inconclusiveInterval: clopperPearson(r.inconclusive, repeat),
      seconds: (Date.now() - t0) / 1000,
    };
    rows.push(row);
    opts.onCase?.(row, i, cases.length);
    // A safe point: host-evaluated cases compute without a turn of the event loop, where a signal handler runs.
    if (opts.signal) await nextMacrotask();
  }
  return rows;
}

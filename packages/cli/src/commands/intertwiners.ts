import type { Command } from 'commander';
import { plugins, UsageError, nextMacrotask } from '@nnsym/core';
import { type ScalarFn } from '@nnsym/numerics';
import {
  discoverIntertwiners,
  HAND_DERIVED_ACTIVATIONS,
  handDerivedIntertwiners,
  INTERTWINER_FAMILIES,
  referenceActivation,
  resolveScalarActivation,
  type HandDerivedActivation,
  type IntertwinerDiscovery,
} from '@nnsym/weight-space';
import type { CliContext } from '../context';
import { finiteNumber, positiveInt } from '../flags';
import { addHiddenAlias, addOutputOptions, emitResult, interruptible, progressBar, reportInterrupted } from '../options';

interface Opts {
  activation?: string;
  all?: boolean;
  config?: string;
  degree: number;
  width: number;
  fitInputs: number;
  trials: number;
  tol: number;
  out?: string;
  progress?: boolean;
}

/** Activations that are usually not registered but have a hand-derived table: float64 reference forms. */
const REFERENCE_ONLY: Record<string, HandDerivedActivation> = { gaussian: 'gaussian', power: 'power' };

/** The plugin config: --config (JSON), else { degree } for power. */
function configFor(id: string, o: Opts): Record<string, unknown> {
  if (o.config === undefined) return id === 'power' ? { degree: o.degree } : {};
  try {
    const c = JSON.parse(o.config);
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new Error('not an object');
    return c as Record<string, unknown>;
  } catch {
    throw new UsageError(`--config must be a JSON object, got ${o.config}`, '--config');
  }
}

function resolve(id: string, o: Opts): { scalar: ScalarFn; source: 'registry' | 'reference' } {
  if (plugins.kind('activation').has(id)) return { scalar: resolveScalarActivation(id, { config: configFor(id, o) }).scalar, source: 'registry' };
  if (id in REFERENCE_ONLY) return { scalar: referenceActivation(REFERENCE_ONLY[id], o.degree), source: 'reference' };
  // Not registered and no reference form: the registry's message names the known ids and the closest one.
  return { scalar: resolveScalarActivation(id).scalar, source: 'registry' };
}

function row(id: string, o: Opts, seed: number | string) {
  const { scalar, source } = resolve(id, o);
  const found: IntertwinerDiscovery = discoverIntertwiners(scalar, { n: o.width, samples: o.fitInputs, trials: o.trials, tol: o.tol, seed });
  const handName = (HAND_DERIVED_ACTIVATIONS as readonly string[]).includes(id) ? (id as HandDerivedActivation) : undefined;
  const cfgDegree = id === 'power' ? Number(configFor(id, o).degree ?? o.degree) : o.degree;
  const alpha = id === 'leaky-relu' ? configFor(id, o).alpha : undefined;
  const hand = handName ? handDerivedIntertwiners(handName, { degree: cfgDegree, ...(typeof alpha === 'number' ? { alpha } : {}) }) : undefined;
  const agrees = hand ? INTERTWINER_FAMILIES.every((f) => hand.families[f] === found.families[f]) && hand.phi.kind === found.phi.kind : undefined;
  return {
    activation: id === 'power' ? `power(${cfgDegree})` : id,
    source,
    families: found.families,
    phi: found.phi,
    residuals: Object.fromEntries(INTERTWINER_FAMILIES.map((f) => [f, found.evidence[f].maxResidual])),
    handDerived: hand ? { families: hand.families, phi: hand.phi, agrees } : undefined,
    options: found.options,
  };
}

/** `nnsym intertwiners`: the intertwiner group G_sigma of an activation, discovered numerically in float64. */
export function registerIntertwiners(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('intertwiners')
    .description('discover the intertwiner group G_sigma = {A : sigma(Ax) = phi(A) sigma(x)} of an activation (Godfrey et al., arXiv 2205.14258)')
    .option('--activation <id>', 'a registered activation id (nnsym list activation); also gaussian = exp(-x^2), which is not registered')
    .option('--all', 'every registered activation, plus gaussian and power')
    .option('--config <json>', 'config for the activation plugin, e.g. \'{"alpha":0.2}\'')
    .option('--degree <d>', 'degree d of the power activation x^d (passed as its config)', positiveInt('--degree'), 3)
    .option('--width <n>', 'dimension n of the hidden layer tested', positiveInt('--width', 1000), 4)
    .option('--fit-inputs <m>', 'random inputs per least-squares fit (at least 4n)', positiveInt('--fit-inputs', 1e6), 256)
    .option('--trials <t>', 'random members A per family (all must pass)', positiveInt('--trials'), 4)
    .option('--tol <r>', 'relative residual below which sigma(Ax) = B sigma(x) is accepted', finiteNumber('--tol', { min: 0, exclusiveMin: true }), 1e-7);
  addOutputOptions(cmd, { progress: 'show progress (activations of --all) even when stderr is not a terminal' });
  addHiddenAlias(cmd, '--n <n>', '--width', positiveInt('--n', 1000));
  addHiddenAlias(cmd, '--samples <m>', '--fit-inputs', positiveInt('--samples', 1e6));
  cmd
    .addHelpText(
      'after',
      '\nFor each family (permutation, positive-scaling, sign-flip, invertible-scaling, general-linear) random members A are\n' +
        'drawn (seeded by --seed) and the best B with sigma(A X) = B sigma(X) is fitted by least squares in float64 over random\n' +
        'inputs X; a family holds when the relative residual is below --tol for every member. phi is read off the fitted B.\n' +
        'For the eight hand-derived activations the table derived by hand is printed beside the discovery.\n\n' +
        'Examples:\n  nnsym intertwiners --activation relu --json\n  nnsym intertwiners --activation power --degree 3\n  nnsym intertwiners --all\n',
    )
    .action(async (o: Opts) => {
      const c = ctx();
      if (o.fitInputs < 4 * o.width) throw new UsageError(`--fit-inputs must be at least 4n = ${4 * o.width} (the least-squares fits need more inputs than unknowns), got ${o.fitInputs}`, '--fit-inputs');
      if (o.all && o.activation) c.info('intertwiners: note: --activation is ignored with --all');
      if (!o.activation && !o.all) throw new UsageError('intertwiners: pass --activation <id> or --all', '--activation');
      const ids = o.all ? [...plugins.kind('activation').ids(), ...Object.keys(REFERENCE_ONLY).filter((k) => !plugins.kind('activation').has(k))] : [o.activation as string];
      // SIGINT/SIGTERM: finish the activation in progress (one discovery is one computation), keep those done.
      const rows: ReturnType<typeof row>[] = [];
      const stop = interruptible(c, 'intertwiners', 'finishing the current activation and writing the activations done');
      const bar = o.all ? progressBar(c, o, 'intertwiners') : undefined;
      try {
        for (const id of ids) {
          if (stop.interrupted) break;
          rows.push(row(id, o, c.seed));
          bar?.update(rows.length, ids.length, 'activations', id);
          await nextMacrotask(); // a safe point: a signal handler runs here
        }
      } finally {
        stop.release();
        bar?.done();
      }
      const missing = ids.slice(rows.length);
      const cut = missing.length ? `${rows.length} of ${ids.length} activations` : undefined;
      const partial = cut ? { complete: false, missingActivations: missing } : {};
      if (await emitResult(c, o, 'intertwiners', 'float64 (host)', o.all ? { activations: rows, ...partial } : rows[0], { complete: !cut })) {
        if (cut) reportInterrupted(c, 'intertwiners', o.out, cut);
        return;
      }
      const short: Record<string, string> = { permutation: 'perm', 'positive-scaling': 'pos-scale', 'sign-flip': 'sign', 'invertible-scaling': 'inv-scale', 'general-linear': 'GL(n)' };
      const w = Math.max(10, ...rows.map((r) => r.activation.length));
      c.out(`${'activation'.padEnd(w)}  ${INTERTWINER_FAMILIES.map((f) => short[f].padStart(9)).join(' ')}  phi                 hand-derived`);
      for (const r of rows) {
        const cells = INTERTWINER_FAMILIES.map((f) => (r.families[f] ? 'yes' : 'no').padStart(9)).join(' ');
        const phi = r.phi.kind === 'power' ? `A^(o${r.phi.degree})` : r.phi.kind === 'identity' ? 'A' : r.phi.kind === 'abs' ? '|A|' : r.phi.kind;
        const hand = r.handDerived ? (r.handDerived.agrees ? 'agrees' : 'DISAGREES') : '-';
        c.out(`${r.activation.padEnd(w)}  ${cells}  ${phi.padEnd(18)}  ${hand}`);
      }
      const failing = rows.flatMap((r) => INTERTWINER_FAMILIES.filter((f) => !r.families[f]).map((f) => r.residuals[f]));
      c.out(`worst residual of a holding family: ${Math.max(...rows.flatMap((r) => INTERTWINER_FAMILIES.filter((f) => r.families[f]).map((f) => r.residuals[f]))).toExponential(1)}; ` + (failing.length ? `smallest of a failing one: ${Math.min(...failing).toExponential(1)} (float64)` : 'every family holds (float64)'));
      if (cut) {
        c.out(`(INTERRUPTED after ${cut}; not run: ${missing.join(', ')})`);
        reportInterrupted(c, 'intertwiners', o.out, cut);
      }
    });
}

import { type Command, Option } from 'commander';
import { checkWork, isNnsymError, LIMITS, UsageError, nextMacrotask } from '@nnsym/core';
import { createGroupAction, type GroupAction } from '@nnsym/groups';
import { discoverSubspace, schemeDistance2, trainMeanField, type MeanFieldResult, type MeanFieldScheme, type TeacherKind } from '@nnsym/weight-space';
import type { CliContext } from '../context';
import { finiteNumber, jsonObject, numberList, oneOf, positiveInt } from '../flags';
import { resultEnvelope } from '../result';
import { addHiddenAlias, addOutputOptions, emitResult, interruptible, progressBar } from '../options';

const SCHEMES = ['vanilla', 'da', 'fa', 'ea'] as const;

function makeGroup(id: string, dim: number, configJson: string | undefined, flag: string): GroupAction {
  const g = createGroupAction(id, { n: dim, ...(configJson ? jsonObject(`${flag}-config`)(configJson) : {}) });
  if (!g.linear || !g.matrix) throw new UsageError(`${flag} ${id}: ${g.name} does not act linearly; the mean-field schemes need an orthogonal linear action`, flag);
  if (!g.orthogonal) throw new UsageError(`${flag} ${id}: ${g.name} is not orthogonal; the unit action g.(a, w, b) = (a, rho(g) w, b) needs rho orthogonal`, flag);
  return g;
}

interface Opts {
  group: string;
  groupConfig?: string;
  dIn: number;
  teacher: TeacherKind;
  scheme: MeanFieldScheme | 'all';
  width: number;
  widths?: number[];
  steps: number;
  lr: number;
  batch: number;
  init: 'gaussian' | 'si';
  out?: string;
  progress?: boolean;
}

/** `nnsym meanfield`: teacher-student experiments of Maass & Fontbona (arXiv 2405.19995) and subspace discovery. */
export function registerMeanfield(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('meanfield')
    .description('mean-field teacher-student training under vanilla / DA / FA / EA schemes, with WI and SI distances (Maass & Fontbona, arXiv 2405.19995)')
    .option('--group <id>', 'group-action id acting on the inputs (orthogonal, linear), e.g. cyclic, sym, sign-flips, so', 'cyclic')
    .option('--group-config <json>', 'extra group config as JSON, e.g. \'{"factors": [...]}\' for direct-product')
    .option('--d-in <d>', 'input dimension d (the group acts on R^d)', positiveInt('--d-in', LIMITS.dim), 4)
    .addOption(new Option('--teacher <law>', 'teacher law: arbitrary, wi (union of G-orbits), si (supported on E^G)').default('wi').argParser(oneOf('--teacher', ['arbitrary', 'wi', 'si'] as const)))
    .addOption(new Option('--scheme <s>', 'vanilla, da, fa, ea, or all').default('all').argParser(oneOf('--scheme', [...SCHEMES, 'all'] as const)))
    .option('--width <N>', 'number of units N', positiveInt('--width', LIMITS.width), 100)
    .option('--widths <list>', 'sweep over N, e.g. 5,10,50,100,500', numberList('--widths', positiveInt('--widths', LIMITS.width)))
    .option('--steps <T>', 'SGD steps', positiveInt('--steps', LIMITS.steps), 300)
    .option('--lr <eta>', 'mean-field learning rate', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 0.2)
    .option('--batch <B>', 'fresh samples per step', positiveInt('--batch'), 32)
    .addOption(new Option('--init <law>', 'student initial law: gaussian (WI) or si (projected on E^G)').default('gaussian').argParser(oneOf('--init', ['gaussian', 'si'] as const)));
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      '\nUnits sigma_*(x; a, w, b) = a tanh(w.x + b); f_N = mean over N units; inputs x ~ N(0, I_d); online SGD; float64.\n' +
        'WI = MMD^2(law, symmetrised law), SI = MMD^2(law, law projected on E^G); schemeDistance = MMD^2 between\n' +
        'the final particle laws of vanilla and DA / FA from the same start and data.\n\n' +
        'Examples:\n  nnsym meanfield --group cyclic --d-in 4 --teacher wi --scheme all --widths 10,100,1000 --json\n' +
        '  nnsym meanfield discover --group cyclic --d-in 4 --teacher-group direct-product \\\n' +
        '      --teacher-group-config \'{"factors":[{"group":"cyclic","config":{"n":2}},{"group":"cyclic","config":{"n":2}}]}\'\n',
    )
    .action(async (o: Opts) => {
      const c = ctx();
      // Fixed-point subspaces of a group on R^d cost ~d³ (and the units d each): ask before hours of set-up.
      checkWork({ units: o.dIn ** 3, limit: 1e8, unit: 'operations (d_in³)', flag: '--d-in', yes: c.options.yes });
      const group = makeGroup(o.group, o.dIn, o.groupConfig, '--group');
      const requested: MeanFieldScheme[] = o.scheme === 'all' ? [...SCHEMES] : [o.scheme];
      const widths = o.widths ?? [o.width];
      const skipped: Record<string, string> = {};
      const rows = [];
      const bar = progressBar(c, o, 'meanfield');
      const stop = interruptible(c, 'meanfield', 'finishing the current scheme and writing the schemes done');
      let done = 0;
      try {
        for (const width of widths) {
          const runs: Partial<Record<MeanFieldScheme, MeanFieldResult>> = {};
          for (const scheme of requested) {
            if (stop.interrupted || skipped[scheme]) continue;
            const t0 = Date.now();
            try {
              runs[scheme] = trainMeanField({ group, width, teacher: o.teacher, scheme, steps: o.steps, lr: o.lr, batch: o.batch, init: o.init, seed: c.seed });
            } catch (e) {
              // --scheme all keeps the schemes that ran: an infeasible one (e.g. ea with E^G = 0) is skipped with a note.
              if (o.scheme !== 'all' || !isNnsymError(e)) throw e;
              skipped[scheme] = e.message;
              c.info(`meanfield: skipping ${scheme}: ${e.message}`);
              continue;
            }
            const f = runs[scheme]!.final;
            c.info(`meanfield: N=${width} ${scheme}: risk ${f.risk.toExponential(3)} WI ${f.wi.toExponential(2)} SI ${f.si.toExponential(2)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
            if (!Number.isFinite(f.risk) || f.risk > 1e6) c.info(`meanfield: warning: N=${width} ${scheme} diverged (risk ${f.risk.toExponential(3)}); lower --lr`);
            bar?.update(++done, widths.length * requested.length, 'runs');
            await nextMacrotask(); // let SIGINT/SIGTERM in between schemes
          }
          if (Object.keys(runs).length === 0) break;
          const v = runs.vanilla;
          const ran = requested.filter((s) => runs[s]);
          rows.push({
            width,
            schemes: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { final: r!.final, records: r!.records }])),
            schemeDistance: v ? Object.fromEntries(ran.filter((s) => s !== 'vanilla').map((s) => [`vanilla-${s}`, schemeDistance2(v, runs[s]!)])) : {},
          });
          if (stop.interrupted) break;
        }
      } finally {
        stop.release();
        bar?.done();
      }
      if (rows.length === 0 && Object.keys(skipped).length > 0) throw new UsageError(`--scheme: no scheme could run: ${Object.values(skipped)[0]}`, '--scheme');
      const schemes = requested.filter((s) => !skipped[s]);
      const interrupted = stop.interrupted;
      const fp = trainMeanField({ group, width: 1, teacher: 'arbitrary', scheme: 'vanilla', steps: 0, lr: o.lr, seed: c.seed }).fixedPoint;
      const payload = { group: group.name, dIn: o.dIn, teacher: o.teacher, init: o.init, steps: o.steps, lr: o.lr, batch: o.batch, fixedPoint: fp, rows, ...(Object.keys(skipped).length ? { skipped } : {}), ...(interrupted ? { complete: false } : {}) };
      if (interrupted) {
        c.info(`meanfield: interrupted; the partial result (marked incomplete) ${o.out ? `is in ${o.out}` : 'was printed'}`);
        c.exitCode = 130;
      }
      if (await emitResult(c, o, 'meanfield', 'float64 (host)', payload, { complete: !interrupted })) return;
      c.out(`meanfield: ${group.name} on R^${o.dIn}, E^G dimension ${fp.dimension} (unit space ${fp.unitDimension} of ${o.dIn + 2}); teacher ${o.teacher}, init ${o.init}, ${o.steps} steps, lr ${o.lr}`);
      c.out(`${'N'.padStart(6)}  ${'scheme'.padEnd(8)} ${'risk'.padStart(10)} ${'WI'.padStart(10)} ${'SI'.padStart(10)} ${'|w-Pw|^2'.padStart(10)} ${'MMD^2 to vanilla'.padStart(17)}`);
      for (const r of rows) {
        for (const s of schemes) {
          const run = r.schemes[s] as { final: { risk: number; wi: number; si: number; offFixed: number } } | undefined;
          if (!run) {
            c.out(`${String(r.width).padStart(6)}  ${s.padEnd(8)} (not run: interrupted)`);
            continue;
          }
          const f = run.final;
          const dist = s === 'vanilla' ? '' : ((r.schemeDistance as Record<string, number>)[`vanilla-${s}`]?.toExponential(2) ?? '');
          c.out(`${String(r.width).padStart(6)}  ${s.padEnd(8)} ${f.risk.toExponential(3).padStart(10)} ${f.wi.toExponential(2).padStart(10)} ${f.si.toExponential(2).padStart(10)} ${f.offFixed.toExponential(2).padStart(10)} ${dist.padStart(17)}`);
        }
      }
    });

  addHiddenAlias(cmd, '--dim <d>', '--d-in', positiveInt('--dim'));

  cmd
    .command('discover')
    .description('discover the largest parameter subspace supporting SI laws for a teacher-student problem')
    .option('--teacher-group <id>', 'the problem\'s hidden symmetry: the teacher is SI for it (default: --group)')
    .option('--teacher-group-config <json>', 'config of the teacher group as JSON')
    .option('--tol <t>', 'add a direction when it holds more than this share of mean |w|^2', finiteNumber('--tol', { min: 0, exclusiveMin: true }), 0.02)
    .option('--max-iterations <k>', 'iteration cap', positiveInt('--max-iterations'))
    .action(async (o: { teacherGroup?: string; teacherGroupConfig?: string; tol: number; maxIterations?: number }, sub: Command) => {
      const c = ctx();
      const p = sub.parent!.opts<Opts>();
      const group = makeGroup(p.group, p.dIn, p.groupConfig, '--group');
      const tg = o.teacherGroup ? makeGroup(o.teacherGroup, p.dIn, o.teacherGroupConfig, '--teacher-group') : group;
      const r = discoverSubspace({ group, teacherGroup: tg, width: p.width, steps: p.steps, lr: p.lr, batch: Math.max(p.batch, 64), tol: o.tol, maxIterations: o.maxIterations, seed: c.seed });
      if (c.json) {
        c.out(JSON.stringify(await resultEnvelope(c, 'meanfield-discover', 'float64 (host)', { group: group.name, teacherGroup: tg.name, ...r })));
        return;
      }
      c.out(`discovered subspace: dimension ${r.dimension} of ${p.dIn} (${r.converged ? 'converged' : 'iteration cap reached'}); ${r.stoppingRule}`);
      for (const b of r.basis) c.out(`  [${b.map((x) => x.toFixed(3)).join(', ')}]`);
      for (const it of r.iterations) c.out(`  iteration ${it.iteration}: dim ${it.dimension}, escape spectrum ${it.escapeSpectrum.map((x) => x.toExponential(1)).join(' ')}, added ${it.added}`);
    });
}

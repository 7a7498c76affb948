/**
 * Property/fuzz suite of the CLI (issue 18 item 5): fast-check draws flag sets for every command from hostile values
 * (huge, unsafe, fractional, non-numeric, empty and non-ASCII numbers; malformed ids, JSON and grids; bad paths) and
 * from corrupted or truncated copies of every kind of file the tool reads (inputs JSON, correlator partials, train
 * checkpoints, IDX datasets, result/report files, activation files, plugins, nnsym.config.json). Every case must:
 *   - exit 0, 2 or 130;
 *   - print no stack trace (JS, native or "internal error");
 *   - on exit 2, print exactly one `nnsym: error:` line;
 *   - finish within CASE_BOUND_MS;
 *   - leave every pre-existing file unchanged (only its own --out, and a --checkpoint it was told to --resume or
 *     --overwrite, may change).
 * Findings are collected (not shrunk) and the suite fails listing them; the case count is printed.
 * Runs in-process through `main()` (the bin's entry) with a fixed seed and a bounded number of runs per command.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { errorLines, hasStackTrace, nnsym } from './harness';

/** Upper bound of one case's wall time (a hang is a finding). Small valid runs take well under a second. */
const CASE_BOUND_MS = 20_000;
/** Runs per command (fixed seed): about 200 cases in all, about a minute here. */
const RUNS = Number(process.env.NNSYM_FUZZ_RUNS ?? 11);
const SEED = Number(process.env.NNSYM_FUZZ_SEED ?? 20261202);

const root = mkdtempSync(join(tmpdir(), 'nnsym-fuzz-'));
const f = (...xs: string[]) => join(root, ...xs);

/** Corrupted variants of a file's bytes: empty, truncated, random, bit-flipped, wrong JSON shapes. */
function corruptions(bytes: Buffer, name: string): Record<string, Buffer> {
  const flip = Buffer.from(bytes);
  if (flip.length > 0) flip[Math.floor(flip.length / 2)] ^= 0x5a;
  let r = 7;
  const rand = Buffer.from(Array.from({ length: 512 }, () => ((r = (r * 1103515245 + 12345) >>> 0) >>> 24) & 255));
  return {
    [`${name}.empty`]: Buffer.alloc(0),
    [`${name}.half`]: bytes.subarray(0, Math.floor(bytes.length / 2)),
    [`${name}.head`]: bytes.subarray(0, 10),
    [`${name}.flip`]: flip,
    [`${name}.random`]: rand,
    [`${name}.null`]: Buffer.from('null'),
    [`${name}.array`]: Buffer.from('[]'),
    [`${name}.nested`]: Buffer.from('['.repeat(5000) + ']'.repeat(5000)),
  };
}

const files: Record<string, string[]> = { inputs: [], partial: [], ckdir: [], result: [], acts: [], idx: [], plugin: [] };
let badConfigDir = '';

beforeAll(async () => {
  mkdirSync(f('outs'));
  mkdirSync(f('adir'));
  writeFileSync(f('inputs.json'), '[0.1, 0.5]');
  files.inputs.push(f('inputs.json'));
  // A correlator partial, a train checkpoint, a kernel result and an activations file: the valid originals.
  expect((await nnsym(['correlators', '--arch', 'gauss-net', '--ensemble', '20', '--chunk', '10', '--inputs', '[0.1]', '--orders', '2', '--checkpoint', f('partial.json')])).code).toBe(0);
  files.partial.push(f('partial.json'));
  expect((await nnsym(['train', '--dataset', 'teacher-student', '--hidden', '8', '--epochs', '1', '--limit-train', '100', '--limit-test', '50', '--checkpoint', f('ck')])).code).toBe(0);
  files.ckdir.push(f('ck'));
  writeFileSync(f('result.json'), (await nnsym(['--json', 'kernel', '--arch', 'gauss-net', '--inputs', '[0,1]'])).stdout);
  files.result.push(f('result.json'));
  writeFileSync(f('acts.json'), JSON.stringify({ layers: [Array.from({ length: 8 }, (_, i) => [i, i * i, 1])] }));
  files.acts.push(f('acts.json'));
  for (const [kind, name] of [['inputs', 'inputs.json'], ['partial', 'partial.json'], ['result', 'result.json'], ['acts', 'acts.json']] as const) {
    for (const [n, b] of Object.entries(corruptions(readFileSync(f(name)), name))) {
      writeFileSync(f(n), b);
      files[kind].push(f(n));
    }
  }
  // Checkpoint directories with a damaged checkpoint.json or checkpoint.bin.
  for (const part of ['checkpoint.json', 'checkpoint.bin']) {
    for (const [n, b] of Object.entries(corruptions(readFileSync(f('ck', part)), part))) {
      const d = f(`ck-${n}`);
      mkdirSync(d);
      for (const x of readdirSync(f('ck'))) copyFileSync(f('ck', x), join(d, x));
      writeFileSync(join(d, part), b);
      files.ckdir.push(d);
    }
  }
  // IDX directories: random bytes, truncated headers, a missing file.
  const idxNames = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
  for (const [n, make] of [
    ['idx-random', () => corruptions(Buffer.from('x'), 'r')['r.random']],
    ['idx-truncated', () => header],
    ['idx-empty', () => Buffer.alloc(0)],
  ] as const) {
    mkdirSync(f(n));
    for (const name of idxNames) writeFileSync(f(n, name), make());
    files.idx.push(f(n));
  }
  mkdirSync(f('idx-missing'));
  files.idx.push(f('idx-missing'));
  // Plugins: one that throws, one with a syntax error, one with a wrong export.
  writeFileSync(f('plugin-throws.js'), 'throw new Error("boom");');
  writeFileSync(f('plugin-syntax.js'), 'module.exports = {');
  writeFileSync(f('plugin-wrong.js'), 'module.exports = 42;');
  files.plugin.push(f('plugin-throws.js'), f('plugin-syntax.js'), f('plugin-wrong.js'), f('nope.js'));
  badConfigDir = f('badcfg');
  mkdirSync(badConfigDir);
  writeFileSync(join(badConfigDir, 'nnsym.config.json'), '{"plugins": [');
}, 120_000);

/** sha256 of every file under the fuzz directory. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const x = join(d, n);
      if (statSync(x).isDirectory()) walk(x);
      else out.set(x, createHash('sha256').update(readFileSync(x)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

// ---- value pools --------------------------------------------------------------------------------------------
const HOSTILE_NUMBERS = ['0', '-1', '1.5', 'NaN', 'Infinity', '-Infinity', '1e30', '99999999999999999999', '1e400', '', ' ', 'abc', '0x10', '2e-3', '１', '9007199254740993', '1e15', '-0'];
const num = (...valid: string[]) => fc.constantFrom(...valid, ...HOSTILE_NUMBERS);
const INPUTS_HOSTILE = ['[', '[]', '[[1,2],[3]]', '["a"]', '[NaN]', '[1e400]', 'null', '{}', '@/nonexistent.json', 'linspace:-1,1,1e9', 'normal:0', 'circl:1,8', 'sphere:1,8', 'grid:-1,1', '\u0000', 'x'.repeat(3000)];
const inputs = () => fc.constantFrom('[0.1]', '[0.1,0.5]', 'linspace:-1,1,3', ...INPUTS_HOSTILE, ...files.inputs.map((p) => '@' + p));
const ids = (...valid: string[]) => fc.constantFrom(...valid, '', 'nope', '../../etc/passwd', 'x'.repeat(2000), '{}', 'RELU');
const badPaths = () => ['/nonexistent/deep/x.json', '/proc/nope/x', f('adir'), '', 'x'.repeat(5000), f('inputs.json', 'below')];
const outPath = () => fc.oneof(fc.constantFrom(...badPaths()), fc.nat(1e6).map((n) => f('outs', `o${n}.json`)));
const json = () => fc.constantFrom('{}', '{"n":3}', '[', '[1]', 'null', '{"bogus":1}', '{"std":-1}', '{"n":1e30}');
const flagOnly = () => fc.constant(null);

type Space = Record<string, fc.Arbitrary<string | null>>;
interface CommandSpace {
  name: string[];
  flags: () => Space;
  positional?: () => fc.Arbitrary<string[]>;
  /** Flags present in every case (e.g. a hostile one that keeps a slow command on its validation path). */
  always?: () => Space;
  /** Cheap values for flags the case does not draw (the defaults are full-size runs of several seconds). */
  base?: Record<string, string>;
}

const SPACES: CommandSpace[] = [
  { name: ['list'], flags: () => ({}), positional: () => fc.constantFrom([], ['architecture'], ['nope'], ['']) },
  {
    name: ['sample'],
    flags: () => ({ '--arch': ids('gauss-net', 'relu-net', 'mlp'), '--inputs': inputs(), '--ensemble': num('2', '5'), '--width': num('3', '10'), '--d-in': num('1', '2'), '--d-out': num('1', '2'), '--depth': num('1'), '--sigma-w': num('1'), '--chunk': num('2'), '--shard': fc.constantFrom('0/2', '2/2', '1/0', 'a', '-1/3', '0/1e30'), '--init': fc.constantFrom('Wout=laplace', 'mean-rows(k=1,mu=0.5)', 'W*=', '(', 'x'.repeat(500)), '--out': outPath(), '--max-print': num('0', '3') }),
  },
  {
    name: ['correlators'],
    flags: () => ({ '--arch': ids('gauss-net', 'erf-net'), '--inputs': inputs(), '--ensemble': num('4', '20'), '--width': num('3'), '--orders': fc.constantFrom('2', '2,4', '3', '12', '2,4,6,8,10', '-2', '', 'a'), '--chunk': num('10'), '--checkpoint': fc.oneof(outPath(), fc.constantFrom(...files.partial)), '--resume': flagOnly(), '--overwrite': flagOnly(), '--method': fc.constantFrom('exact', 'montecarlo', 'bogus'), '--widths': fc.constantFrom('2,5', '0', '1e9', 'a'), '--groups': num('2', '4'), '--out': outPath(), '--shard': fc.constantFrom('0/2', '5/2') }),
  },
  { name: ['merge'], flags: () => ({ '--out': outPath(), '--show': num('1') }), positional: () => fc.subarray([...files.partial, f('nope.json'), f('adir')], { minLength: 0, maxLength: 3 }) },
  { name: ['kernel'], flags: () => ({ '--arch': ids('gauss-net', 'relu-net', 'mlp', 'exp-net'), '--inputs': inputs(), '--sigma-w': num('1', '1e200'), '--depth': num('2'), '--activation': ids('erf', 'relu'), '--quadrature': fc.constantFrom('series', 'nope'), '--out': outPath() }) },
  { name: ['ntk'], base: { '--ensemble': '2' }, flags: () => ({ '--arch': ids('relu-net', 'erf-net'), '--inputs': inputs(), '--mode': fc.constantFrom('analytic', 'empirical', 'x'), '--width': num('8'), '--ensemble': num('2', '3'), '--kernel-output': fc.constantFrom('full', 'trace', 'diagonal', 'x'), '--widths': fc.constantFrom('8,16', '0'), '--out': outPath() }) },
  { name: ['symmetry'], base: { '--ensemble': '200', '--width': '10' }, flags: () => ({ '--d-in': num('1', '2'), '--d-out': num('1', '2'), '--ensemble': num('200'), '--width': num('10'), '--group': ids('so', 'translations', 'auto', 'sym'), '--on': fc.constantFrom('inputs', 'outputs', 'x'), '--orders': fc.constantFrom('2', '2,4', '3'), '--group-samples': num('2'), '--repeats': num('2'), '--group-config': json(), '--inputs': inputs(), '--out': outPath() }) },
  { name: ['ntk-symmetry'], base: { '--ensemble': '8', '--width': '8' }, flags: () => ({ '--group': ids('so', 'translations'), '--inputs': inputs(), '--mode': fc.constantFrom('analytic', 'empirical'), '--width': num('8'), '--ensemble': num('8'), '--d-in': num('2'), '--group-samples': num('2'), '--out': outPath() }) },
  { name: ['ntk-drift'], base: { '--widths': '8', '--steps': '2', '--limit-train': '32', '--probe': '4' }, flags: () => ({ '--widths': fc.constantFrom('8', '8,16', '0', 'a'), '--steps': num('2'), '--every': num('1'), '--probe': num('4'), '--limit-train': num('32'), '--classes': num('3'), '--d-in': num('4'), '--lr': num('1', '1e9'), '--out': outPath() }) },
  { name: ['noether'], base: { '--steps': '5', '--width': '4' }, flags: () => ({ '--arch': ids('relu-net', 'linear-net', 'mlp'), '--width': num('4'), '--steps': num('5'), '--lr': num('0.01', '1e9'), '--optimizer': ids('gd', 'gradient-flow', 'adam'), '--loss': ids('mse', 'xent'), '--d-out': num('1', '2'), '--limit-train': num('16'), '--batch': num('4'), '--augment': fc.constantFrom('none', 'noise:abc', 'sign-flip', 'x'), '--out': outPath() }) },
  { name: ['meanfield'], base: { '--width': '5', '--steps': '3' }, flags: () => ({ '--group': ids('cyclic', 'so', 'sign-flips'), '--d-in': num('2', '3'), '--width': num('5'), '--steps': num('3'), '--scheme': fc.constantFrom('all', 'ea', 'vanilla', 'x'), '--lr': num('0.2', '1e9'), '--group-config': json(), '--out': outPath() }) },
  { name: ['intertwiners'], flags: () => ({ '--activation': ids('relu', 'tanh', 'power'), '--width': num('2'), '--fit-inputs': num('16'), '--trials': num('1'), '--config': json(), '--degree': num('2'), '--out': outPath() }) },
  { name: ['compare'], flags: () => ({ '--a': fc.constantFrom(...files.ckdir, ...files.acts, f('nope')), '--b': fc.constantFrom(...files.ckdir.slice(0, 2), ...files.acts.slice(0, 2), f('nope')), '--probe': num('20'), '--metric': fc.constantFrom('all', 'cka', 'nope'), '--layer': num('0'), '--out': outPath() }) },
  {
    name: ['train'],
    flags: () => ({ '--dataset': fc.constantFrom('teacher-student', 'idx:', 'nope', ...files.idx.map((d) => `idx:${d}`)), '--hidden': fc.constantFrom('8', '0', '8,a', '1e9', ''), '--epochs': num('1'), '--limit-train': num('64'), '--limit-test': num('16'), '--batch': num('16'), '--lr': num('0.01', '1e10'), '--checkpoint': fc.oneof(outPath(), fc.constantFrom(...files.ckdir)), '--resume': flagOnly(), '--loss': ids('xent', 'mse-onehot'), '--optimizer': ids('adam', 'sgd'), '--init': fc.constantFrom('normal', 'mean-rows:k=a', 'normal:sw=-1', '('), '--out': outPath() }),
    always: () => ({ '--limit-train': fc.constant('64') }),
  },
  { name: ['stitch'], flags: () => ({ '--a': fc.constantFrom(...files.ckdir, f('nope')), '--b': fc.constantFrom(...files.ckdir.slice(0, 3)), '--epochs': num('0', '1'), '--limit-train': num('32'), '--limit-test': num('16'), '--kind': fc.constantFrom('all', 'nope', 'identity'), '--rank': num('2'), '--out': outPath() }), always: () => ({ '--limit-train': fc.constant('32') }) },
  { name: ['report'], flags: () => ({ '--out': fc.oneof(fc.constantFrom(...badPaths()), fc.nat(1e6).map((n) => f('outs', `r${n}.html`))), '--title': fc.constantFrom('t', '<script>', '') }), positional: () => fc.constantFrom(...files.result, ...files.partial.slice(0, 3), f('adir'), f('nope.json')).map((x) => [x]) },
  // Slow when valid (training children, a minute of demo): kept on their validation paths by one hostile value.
  { name: ['experiment', 'init-symmetry'], flags: () => ({ '--epochs': num('1'), '--seeds': num('1'), '--mu': fc.constantFrom('0,0.1', 'a'), '--out': outPath(), '--csv': outPath(), '--threads': num('1') }), always: () => ({ '--k': fc.constantFrom('11', 'a', '-1', '') }) },
  { name: ['demo'], flags: () => ({ '--quick': flagOnly() }), always: () => ({ '--out': fc.constantFrom('/nonexistent/deep/x.html', '/proc/nope/x', '', join(f('inputs.json'), 'x.html'), 'x'.repeat(5000)) }) },
];

const GLOBAL: Space = { '--seed': fc.constantFrom('0', '7', '', 'x'.repeat(1000), '-1', '1e400'), '--backend': fc.constantFrom('nope', 'wasm'), '--json': flagOnly(), '-q': flagOnly(), '--plugin': fc.constantFrom(...['plugin-throws.js', 'plugin-syntax.js', 'plugin-wrong.js', 'nope.js'].map((n) => f(n))) };

interface Case {
  args: string[];
  cwd: string;
  mayChange: string[];
}

function caseArb(space: CommandSpace): fc.Arbitrary<Case> {
  const flags = space.flags();
  const pick = (sp: Space, min: number) =>
    fc.subarray(Object.keys(sp), { minLength: min }).chain((keys) => (keys.length === 0 ? fc.constant([] as [string, string | null][]) : fc.tuple(...keys.map((k) => sp[k].map((v) => [k, v] as [string, string | null])))));
  return fc
    .record({
      global: fc.option(pick(GLOBAL, 1), { freq: 4 }),
      local: pick(flags, 0),
      always: space.always ? pick(space.always(), Object.keys(space.always()).length) : fc.constant([] as [string, string | null][]),
      positional: space.positional ? space.positional() : fc.constant([] as string[]),
      badCwd: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    })
    .map(({ global, local, always, positional, badCwd }) => {
      const flat = (xs: [string, string | null][]) => xs.flatMap(([k, v]) => (v === null ? [k] : [k, v]));
      const drawn = [...local.filter(([k]) => !always.some(([a]) => a === k)), ...always];
      const localAll: [string, string | null][] = [...Object.entries(space.base ?? {}).filter(([k]) => !drawn.some(([d]) => d === k)), ...drawn];
      const has = (k: string) => localAll.some(([x]) => x === k);
      const val = (k: string) => localAll.find(([x]) => x === k)?.[1];
      const mayChange = localAll.filter(([k]) => k === '--out' || k === '--csv').map(([, v]) => v ?? '');
      const ck = val('--checkpoint');
      if (ck && (has('--resume') || has('--overwrite'))) mayChange.push(ck);
      return { args: [...flat(global ?? []), ...space.name, ...positional, ...flat(localAll)], cwd: badCwd ? badConfigDir : root, mayChange };
    });
}

describe('CLI fuzz: hostile flags and corrupted files', () => {
  const findings: string[] = [];
  let cases = 0;
  const byCode: Record<number, number> = {};

  afterAll(() => {
    process.stdout.write(`nnsym fuzz: ${cases} cases (seed ${SEED}, ${RUNS} per command x ${SPACES.length} commands); exit codes ${JSON.stringify(byCode)}; findings ${findings.length}\n`);
  });

  it.each(SPACES.map((s) => [s.name.join(' '), s] as const))('%s', async (_label, space) => {
    await fc.assert(
      fc.asyncProperty(caseArb(space), async (c) => {
        cases++;
        const before = snapshot();
        const run = await Promise.race([nnsym(c.args, { cwd: c.cwd }), new Promise<null>((r) => setTimeout(() => r(null), CASE_BOUND_MS))]);
        const label = `nnsym ${c.args.map((a) => (a.length > 60 ? a.slice(0, 57) + '...' : a)).map((a) => JSON.stringify(relative(root, a).startsWith('..') ? a : relative(root, a) || a)).join(' ')}`;
        if (process.env.NNSYM_FUZZ_LOG) writeFileSync(process.env.NNSYM_FUZZ_LOG, `${run ? run.code : 'HANG'} ${run ? run.ms : CASE_BOUND_MS}ms ${label}\n`, { flag: 'a' });
        if (!run) {
          findings.push(`${label}: no exit within ${CASE_BOUND_MS} ms`);
          return true;
        }
        byCode[run.code] = (byCode[run.code] ?? 0) + 1;
        if (![0, 2, 130].includes(run.code)) findings.push(`${label}: exit ${run.code}: ${run.stderr.slice(0, 300)}`);
        if (hasStackTrace(run)) findings.push(`${label}: stack trace: ${run.stderr.slice(0, 300)}`);
        if (run.code === 2 && errorLines(run).filter((l) => l.startsWith('nnsym: error:')).length !== 1) findings.push(`${label}: not one error line: ${run.stderr.slice(0, 300)}`);
        const after = snapshot();
        for (const [file, hash] of before) {
          if (c.mayChange.some((m) => file === m || file.startsWith(m + '/'))) continue;
          if (after.get(file) !== hash) findings.push(`${label}: changed or removed ${relative(root, file)}`);
        }
        for (const file of after.keys()) if (/nnsym-tmp/.test(file)) findings.push(`${label}: left a temporary file ${relative(root, file)}`);
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(findings).toEqual([]);
  }, 300_000);
});

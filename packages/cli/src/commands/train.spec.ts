import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import { spawnCli } from '../../test/harness';

// Small teacher-student problem (d = 50, 10 classes), fast enough for a test.
const small = ['train', '--dataset', 'teacher-student', '--hidden', '16', '--limit-train', '1000', '--limit-test', '200'];

/** Read an SSE stream to its `event: end` and return the `data:` payloads of the ordinary (unnamed) events. */
async function readSse(url: string): Promise<{ events: Record<string, unknown>[]; ended: boolean }> {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const dec = new TextDecoder();
  let buf = '';
  const events: Record<string, unknown>[] = [];
  let ended = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let k: number;
    while ((k = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name === 'end') ended = true;
      else if (!name && data) events.push(JSON.parse(data));
    }
    if (ended) break;
  }
  await reader.cancel().catch(() => undefined);
  return { events, ended };
}

describe('nnsym train --dashboard', () => {
  it('serves the page and the run events over SSE on 127.0.0.1 (free port), then exits 0', async () => {
    let err = '';
    let out = '';
    let gotUrl!: (u: string) => void;
    const url = new Promise<string>((r) => (gotUrl = r));
    const io = {
      stdout: (s: string) => (out += s),
      stderr: (s: string) => {
        err += s;
        const m = /dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err);
        if (m) gotUrl(m[1]);
      },
      isTTY: false,
      cwd: process.cwd(),
    };
    const run = main(['node', 'nnsym', '--seed', '3', ...small, '--epochs', '3', '--dashboard', '--dashboard-port', '0'], io);
    const base = await Promise.race([url, run.then(() => Promise.reject(new Error(`main ended before printing a URL: ${err}`)))]);
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>nnsym train</title>');
    const { events, ended } = await readSse(`${base}events`);
    expect(ended).toBe(true);
    const types = events.map((e) => e['type']);
    expect(types[0]).toBe('run-start');
    expect(types.filter((t) => t === 'epoch-end')).toHaveLength(3);
    expect(types.filter((t) => t === 'batch-end').length).toBe(3 * Math.ceil(1000 / 64));
    expect(types[types.length - 1]).toBe('run-end');
    expect(await run).toBe(0);
    expect(out).toMatch(/^done: 3 epochs/);
  }, 60_000);

  it('refuses --dashboard-port without --dashboard (exit 2, one line naming the flag)', async () => {
    let err = '';
    const code = await main(['node', 'nnsym', ...small, '--dashboard-port', '0'], { stdout: () => undefined, stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual(['nnsym: error: --dashboard-port needs --dashboard']);
  });
});

describe('nnsym train: Ctrl-C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-sigint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGINT mid-training keeps the checkpoint, prints the summary and exits 130 (bin/nnsym.js, child process)', async () => {
    const ck = join(dir, 'ck');
    const child = spawnCli([...small, '--epochs', '10000', '--checkpoint', ck]);
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      // Interrupt mid-run: after the first epoch has ended (and its checkpoint was written).
      if (!sent && /epoch 2\/10000 /.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    expect(sent).toBe(true);
    expect({ ...exit, err: exit.code === 130 ? '' : err }).toEqual({ code: 130, signal: null, err: '' });
    expect(err).toContain('nnsym: interrupted: saving a checkpoint and stopping');
    expect(out).toMatch(/^interrupted: \d+ epochs, \d+ steps/);
    expect(existsSync(join(ck, 'checkpoint.bin'))).toBe(true);
    const meta = JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8'));
    expect(meta.epoch).toBeGreaterThanOrEqual(2);
    expect(meta.epoch).toBeLessThan(10000);
    expect(meta.step).toBeGreaterThan(0);
  }, 120_000);
});

describe('nnsym train --normalize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-normalize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = (sink: { out: string; err: string }) => ({ stdout: (s: string) => (sink.out += s), stderr: (s: string) => (sink.err += s), isTTY: false, cwd: process.cwd() });

  it('refuses a malformed value (exit 2, one line naming the flag)', async () => {
    const s = { out: '', err: '' };
    expect(await main(['node', 'nnsym', ...small, '--normalize', '0.1'], io(s))).toBe(2);
    expect(s.err.trim().split('\n')).toHaveLength(1);
    expect(s.err).toMatch(/^nnsym: error: --normalize: expected MEAN,STD/);
  });

  it('records the normalisation, changes the run, and --resume refuses a different one', async () => {
    const ck = join(dir, 'ck');
    const a = { out: '', err: '' };
    expect(await main(['node', 'nnsym', '--seed', '1', '--json', ...small, '--epochs', '1', '--normalize', 'paper', '--checkpoint', ck], io(a))).toBe(0);
    const sa = JSON.parse(a.out.trim().split('\n').pop() as string) as Record<string, unknown>;
    expect(sa['normalize']).toBe('(x - 0.1307) / 0.3081');
    expect(String(sa['datasetSource'])).toContain('(x - 0.1307) / 0.3081');
    const b = { out: '', err: '' };
    expect(await main(['node', 'nnsym', '--seed', '1', '--json', ...small, '--epochs', '1'], io(b))).toBe(0);
    const sb = JSON.parse(b.out.trim().split('\n').pop() as string) as Record<string, unknown>;
    expect(sb['normalize']).toBe('none');
    // Same seed and init, different inputs: the trained networks differ.
    expect(sb['testLoss']).not.toBe(sa['testLoss']);
    const r = { out: '', err: '' };
    expect(await main(['node', 'nnsym', '--seed', '1', ...small, '--epochs', '2', '--normalize', '0.5,0.25', '--checkpoint', ck, '--resume'], io(r))).toBe(2);
    expect(r.err).toMatch(/--resume: .* "normalize" differs .*--normalize/);
  }, 60_000);
});

describe('nnsym train --arch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-train-arch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = (sink: { out: string; err: string }) => ({ stdout: (s: string) => (sink.out += s), stderr: (s: string) => (sink.err += s), isTTY: false, cwd: process.cwd() });
  const fixture = join(__dirname, '..', '..', '..', '..', 'fixtures', 'external-plugin');

  it('trains gauss-net (its activation, one hidden layer, its sigma_w, sigma_b) and the loss decreases; the checkpoint records the architecture', async () => {
    const s = { out: '', err: '' };
    const ck = join(dir, 'gauss');
    expect(await main(['node', 'nnsym', '--json', ...small, '--arch', 'gauss-net', '--epochs', '4', '--lr', '0.01', '--checkpoint', ck], io(s))).toBe(0);
    const events = s.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const losses = events.filter((e) => e['type'] === 'epoch-end').map((e) => (e['metrics'] as Record<string, number>)['loss']);
    expect(losses).toHaveLength(4);
    expect(losses[3]).toBeLessThan(losses[0]);
    const summary = events[events.length - 1] as { result?: Record<string, unknown> } & Record<string, unknown>;
    const r = summary.result ?? summary;
    expect([r['arch'], r['activation'], r['init']]).toEqual(['gauss-net', 'gauss', 'normal(sw=1,sb=1)']);
    expect(JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8')).fingerprint).toMatchObject({ arch: 'gauss-net', activation: 'gauss(sw=1,sb=1)' });
  }, 60_000);

  it('a tanh-net checkpoint feeds nnsym compare as it is (no mlp-only refusal, no adapter)', async () => {
    const cks = ['t1', 't2'].map((n) => join(dir, n));
    for (const [i, ck] of cks.entries()) expect(await main(['node', 'nnsym', '--seed', String(i), ...small, '--arch', 'tanh-net', '--epochs', '1', '--checkpoint', ck], io({ out: '', err: '' }))).toBe(0);
    const s = { out: '', err: '' };
    expect(await main(['node', 'nnsym', '--json', 'compare', '--a', cks[0], '--b', cks[1], '--metric', 'cka', '--probe', '50'], io(s))).toBe(0);
    const r = JSON.parse(s.out) as { activationA: string; layers: { values: { cka: number } }[] };
    expect(r.activationA).toBe('tanh');
    expect(r.layers[0].values.cka).toBeGreaterThan(0);
    expect(r.layers[0].values.cka).toBeLessThanOrEqual(1);
  }, 60_000);

  it.each([
    [['--arch', 'ext-softsign-net', '--plugin', fixture], /^nnsym: error: --arch: "ext-softsign-net" is not a dense architecture, so it cannot be trained; trainable: .*gauss-net/],
    [['--arch', 'nope'], /^nnsym: error: --arch: unknown architecture "nope"/],
    [['--arch', 'tanh-net', '--hidden', '8,8'], /^nnsym: error: --hidden: tanh-net has exactly 1 hidden layer; got --hidden 8,8$/],
    [['--arch', 'relu-net', '--activation', 'tanh'], /^nnsym: error: --activation: relu-net uses relu/],
  ])('refuses %j with one line naming the flag (exit 2)', async (args, message) => {
    const s = { out: '', err: '' };
    expect(await main(['node', 'nnsym', ...small, ...args], io(s))).toBe(2);
    const lines = s.err.trim().split('\n').filter((l) => !/^nnsym: (backend|plugin)/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

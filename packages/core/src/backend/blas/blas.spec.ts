/**
 * BLAS selection, the off switch, the thread policy, and the BLAS-off path (the wasm kernels, bit for bit). Runs on
 * every machine; the parts that need a library skip with the reason logged.
 */
import * as path from 'node:path';
import { tf } from '../../tf';
import { UsageError } from '../../errors';
import { Rng } from '../../rng/rng';
import { closeShardWorkers, runShardWorkers } from '../../ensemble/threads';
import { describeBackend, initBackend } from '../backend';
import { blasThreadBudget, blasThreadsFor, blasWorkerEnv, blasWorkerScope, currentBlas, describeBlas, parseBlasMode, setBlasThreads } from './blas';
import { findBlas } from './library';
import { originalWasmKernel } from './register-kernels';

const probe = findBlas();
if (!probe.ok) console.warn(`BLAS-on selection tests SKIPPED: ${probe.reason} (install libopenblas0-pthread to run them)`);
const withLib = probe.ok ? it : it.skip;

afterAll(async () => {
  await closeShardWorkers();
  await initBackend({ backend: 'wasm', env: {} });
});

describe('parseBlasMode and the thread policy', () => {
  it('parses auto / off / a library path', () => {
    expect(parseBlasMode(undefined)).toEqual({ kind: 'auto' });
    expect(parseBlasMode(' AUTO ')).toEqual({ kind: 'auto' });
    expect(parseBlasMode('on')).toEqual({ kind: 'auto' });
    for (const v of ['off', 'OFF', '0', 'false', 'none']) expect(parseBlasMode(v)).toEqual({ kind: 'off' });
    expect(parseBlasMode('/opt/lib/libopenblas.so')).toEqual({ kind: 'path', path: '/opt/lib/libopenblas.so' });
  });

  it('splits the budget over workers so that threads x workers <= budget (at least one thread each)', () => {
    for (const budget of [1, 2, 3, 8, 16]) {
      for (const workers of [1, 2, 3, 4, 8, 32]) {
        const t = blasThreadsFor(workers, { NNSYM_BLAS_THREADS: String(budget) });
        expect(t).toBe(Math.max(1, Math.floor(budget / workers)));
        if (workers <= budget) expect(t * workers).toBeLessThanOrEqual(budget);
      }
    }
    expect(blasThreadBudget({})).toBeGreaterThanOrEqual(1);
    expect(() => blasThreadBudget({ NNSYM_BLAS_THREADS: '0' })).toThrow(/^NNSYM_BLAS_THREADS must be a positive integer, got "0"$/);
    expect(() => blasThreadBudget({ NNSYM_BLAS_THREADS: 'two' })).toThrow(UsageError);
  });

  it('describes what is used', () => {
    expect(describeBlas({ enabled: true, library: 'OpenBLAS', version: '0.3.21', threads: 2 })).toBe('OpenBLAS 0.3.21, 2 threads');
    expect(describeBlas({ enabled: true, library: 'Accelerate', threads: null })).toBe('Accelerate, library-managed threads');
    expect(describeBlas({ enabled: false, reason: 'disabled by --blas off' })).toBe('off (disabled by --blas off)');
  });
});

describe('backend selection with BLAS', () => {
  withLib('wasm + blas by default, reported with library and threads', async () => {
    const info = await initBackend({ backend: 'wasm', env: {} });
    expect(info.blas).toMatchObject({ enabled: true, library: expect.any(String), kernels: ['BatchMatMul', '_FusedMatMul'] });
    expect(describeBackend(info)).toMatch(/^wasm( \(simd\))? \+ blas \(\S+.*, (\d+ threads?|library-managed threads)\) \[forced\]$/);
    if (info.blas.library === 'OpenBLAS') expect(info.blas.threads).toBe(blasThreadsFor(1));
    // idempotent for the same request
    expect(await initBackend({ backend: 'wasm', env: {} })).toBe(info);
  });

  it('--blas off / NNSYM_BLAS=off: the wasm kernels, bit for bit', async () => {
    const off = await initBackend({ backend: 'wasm', blas: 'off', env: {} });
    expect(off.blas).toEqual({ enabled: false, reason: 'disabled by --blas off' });
    expect(describeBackend(off)).toMatch(/^wasm( \(simd\))?, blas off \[forced\]$/);
    const viaEnv = await initBackend({ backend: 'wasm', env: { NNSYM_BLAS: 'off' } });
    expect(viaEnv.blas).toEqual({ enabled: false, reason: 'disabled by NNSYM_BLAS=off' });
    // tf.matMul now runs the wasm backend's own kernel: identical bits to calling it directly.
    const rng = new Rng(5);
    const a = tf.tensor(rng.normalArray(37 * 53), [37, 53]);
    const b = tf.tensor(rng.normalArray(53 * 29), [53, 29]);
    const viaOp = tf.matMul(a, b);
    const backend = tf.backend();
    const direct = originalWasmKernel('BatchMatMul')!.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    const bits = (x: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(x).buffer));
    expect(bits(viaOp.dataSync())).toEqual(bits(backend.readSync(direct.dataId) as Float32Array));
    backend.disposeData(direct.dataId);
    tf.dispose([a, b, viaOp]);
  });

  it('cpu and other backends: no BLAS kernels, nothing added to the description', async () => {
    const cpu = await initBackend({ backend: 'cpu', env: {} });
    expect(cpu.blas).toEqual({ enabled: false, reason: 'BLAS kernels serve the wasm backend only (backend: cpu)' });
    expect(describeBackend(cpu)).toBe('cpu [forced]');
  });

  it('an explicit library that cannot be loaded is one line naming the flag, exit 2', async () => {
    const bad = (await initBackend({ backend: 'wasm', blas: '/nonexistent/libnothing.so', env: {} }).catch((e: unknown) => e)) as UsageError;
    expect(bad).toBeInstanceOf(UsageError);
    expect(bad).toMatchObject({ field: '--blas', exitCode: 2 });
    expect(bad.message).toMatch(/^--blas: cannot use BLAS library "\/nonexistent\/libnothing.so" \(/);
    expect(bad.message).not.toContain('\n');
    const viaEnv = (await initBackend({ backend: 'wasm', env: { NNSYM_BLAS: '/nonexistent/libnothing.so' } }).catch((e: unknown) => e)) as UsageError;
    expect(viaEnv).toMatchObject({ field: 'NNSYM_BLAS', exitCode: 2 });
  });

  withLib('a library without CBLAS symbols is refused by name', async () => {
    const e = (await initBackend({ backend: 'wasm', blas: 'libm.so.6', env: {} }).catch((x: unknown) => x)) as UsageError;
    expect(e.message).toMatch(/^--blas: cannot use BLAS library "libm.so.6" \(libm.so.6: no CBLAS symbols/);
  });

  withLib('NNSYM_BLAS=<path> loads that library', async () => {
    if (!probe.ok) return;
    const info = await initBackend({ backend: 'wasm', env: { NNSYM_BLAS: probe.lib.path } });
    expect(info.blas).toMatchObject({ enabled: true, path: probe.lib.path });
    expect(blasWorkerEnv(2)).toEqual({ NNSYM_BLAS_WORKERS: '2', NNSYM_BLAS: probe.lib.path });
  });
});

describe('BLAS threads with worker threads', () => {
  withLib('workers x BLAS threads stay within the budget, and the host gets its budget back', async () => {
    await initBackend({ backend: 'wasm', env: {} });
    if (currentBlas()?.threads == null) return; // no thread control in this library
    const budget = blasThreadBudget();
    setBlasThreads(budget);
    const restore = blasWorkerScope(2);
    expect(currentBlas()?.threads).toBe(Math.max(1, Math.floor(budget / 2)));
    restore();
    expect(currentBlas()?.threads).toBe(budget);
    // In real workers: each reports its BLAS and the thread count it sees while the pool runs.
    const fixture = path.join(__dirname, '__fixtures__', 'blas-worker.ts');
    const seen = await runShardWorkers<Record<string, never>, { enabled: boolean; threads: number | null | undefined; workers: string | undefined }>({ module: fixture, fn: 'blasInWorker', args: {}, threads: 2 });
    for (const s of seen) expect(s).toEqual({ enabled: true, threads: Math.max(1, Math.floor(budget / 2)), workers: '2' });
    expect(currentBlas()?.threads).toBe(budget);
  }, 60_000);

  it('--blas off in the host holds in the workers, and switching back on reaches the same (persistent) workers', async () => {
    const fixture = path.join(__dirname, '__fixtures__', 'blas-worker.ts');
    await initBackend({ backend: 'wasm', blas: 'off', env: {} });
    expect(blasWorkerEnv(3)).toEqual({ NNSYM_BLAS_WORKERS: '3', NNSYM_BLAS: 'off' });
    const off = await runShardWorkers<Record<string, never>, { enabled: boolean }>({ module: fixture, fn: 'blasInWorker', args: {}, threads: 2 });
    expect(off.map((s) => s.enabled)).toEqual([false, false]);
    if (!probe.ok) return;
    await initBackend({ backend: 'wasm', env: {} });
    const on = await runShardWorkers<Record<string, never>, { enabled: boolean }>({ module: fixture, fn: 'blasInWorker', args: {}, threads: 2 });
    expect(on.map((s) => s.enabled)).toEqual([true, true]);
  }, 60_000);
});

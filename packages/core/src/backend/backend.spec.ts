import { tf } from '../tf';
import { UsageError } from '../errors';
import { BACKEND_ORDER, describeBackend, initBackend, parseBackendName } from './backend';

const installed = (id: string) => {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
};

describe('backend selection', () => {
  it('tries node-gpu, node, wasm, cpu in that order', () => {
    expect(BACKEND_ORDER).toEqual(['node-gpu', 'node', 'wasm', 'cpu']);
  });

  it('picks the first backend that starts, and records why the earlier ones were skipped', async () => {
    const info = await initBackend({ env: {} });
    const expected = installed('@tensorflow/tfjs-node-gpu') ? 'node-gpu' : installed('@tensorflow/tfjs-node') ? 'node' : 'wasm';
    expect(info.name).toBe(expected);
    expect(info.forced).toBe(false);
    expect(info.precision).toBe('float32');
    expect(info.skipped.map((s) => s.name)).toEqual(BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(expected)));
    if (expected === 'wasm') {
      expect(info.skipped[0].reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
      expect(tf.getBackend()).toBe('wasm');
      expect(describeBackend(info)).toMatch(/^wasm/);
    }
    // Idempotent: same request, same info object.
    expect(await initBackend({ env: {} })).toBe(info);
  });

  it('--backend forces a backend, and wins over NNSYM_BACKEND', async () => {
    const info = await initBackend({ backend: 'cpu', env: { NNSYM_BACKEND: 'wasm' } });
    expect(info).toMatchObject({ name: 'cpu', tfBackend: 'cpu', forced: true, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(describeBackend(info)).toBe('cpu [forced]');
    expect(tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0])).toBe(14);
  });

  it('NNSYM_BACKEND forces a backend when --backend is absent', async () => {
    const info = await initBackend({ env: { NNSYM_BACKEND: 'wasm' } });
    expect(info).toMatchObject({ name: 'wasm', forced: true });
    expect(tf.getBackend()).toBe('wasm');
    const back = await initBackend({ env: { NNSYM_BACKEND: 'CPU' } });
    expect(back.name).toBe('cpu');
  });

  it('forcing an unavailable backend is a one-line UsageError naming the flag', async () => {
    if (installed('@tensorflow/tfjs-node')) return; // nothing unavailable to force on this machine
    const viaFlag = initBackend({ backend: 'node', env: {} });
    await expect(viaFlag).rejects.toBeInstanceOf(UsageError);
    await expect(viaFlag).rejects.toMatchObject({ field: '--backend', exitCode: 2 });
    const err = (await initBackend({ backend: 'node', env: {} }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^--backend: backend "node" is not available \(node: @tensorflow\/tfjs-node is not installed\)$/);
    expect(err.message).not.toContain('\n');
    const viaEnv = await initBackend({ env: { NNSYM_BACKEND: 'node' } }).catch((e: UsageError) => e);
    expect(viaEnv).toBeInstanceOf(UsageError);
    expect((viaEnv as UsageError).field).toBe('NNSYM_BACKEND');
    expect((viaEnv as UsageError).message).toMatch(/^NNSYM_BACKEND: /);
  });

  it('an unknown backend name lists the known ones', async () => {
    expect(() => parseBackendName('tpu')).toThrow('--backend: unknown backend "tpu"; known: node-gpu, node, wasm, cpu');
    await expect(initBackend({ env: { NNSYM_BACKEND: 'metal' } })).rejects.toThrow(/^NNSYM_BACKEND: unknown backend "metal"/);
    expect(parseBackendName(' WASM ')).toBe('wasm');
    expect(parseBackendName('tfjs-node')).toBe('node');
    expect(parseBackendName('gpu')).toBe('node-gpu');
  });

  it('an unforced call (or an empty NNSYM_BACKEND) keeps the backend already chosen, so library code never undoes --backend', async () => {
    const forced = await initBackend({ backend: 'cpu', env: {} });
    expect(await initBackend({ env: { NNSYM_BACKEND: '' } })).toBe(forced);
    expect(await initBackend({ env: {} })).toBe(forced);
    expect(tf.getBackend()).toBe('cpu');
  });
});

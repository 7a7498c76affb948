import { z } from 'zod';
import { Registry } from './registry';
import { PluginHost } from './kinds';
import { createFromPlugin, type Plugin } from './plugin';
import { closestId, editDistance } from './closest';
import { runPluginConformance } from '../testing/plugin-conformance';

const mk = (id: string, kind = 'activation'): Plugin<string, { alpha: number }, { alpha: number }> => ({
  meta: { id, kind, description: `test plugin ${id}`, version: '1.0.0' },
  configSchema: z.object({ alpha: z.number().positive().default(1) }),
  create: (c) => ({ alpha: c.alpha }),
});

describe('Registry', () => {
  it('registers, looks up, lists and unregisters', () => {
    const r = new Registry<ReturnType<typeof mk>>('activation');
    r.register(mk('relu')).register(mk('tanh'));
    expect(r.ids()).toEqual(['relu', 'tanh']);
    expect(r.get('tanh').meta.id).toBe('tanh');
    expect(r.unregister('relu')).toBe(true);
    expect(r.has('relu')).toBe(false);
  });

  it('names the known ids and the closest one for an unknown id', () => {
    const r = new Registry<ReturnType<typeof mk>>('activation');
    r.register(mk('relu')).register(mk('leaky-relu')).register(mk('tanh'));
    expect(() => r.get('rleu')).toThrow('unknown activation "rleu" (did you mean "relu"?); known: relu, leaky-relu, tanh');
  });

  it('resolves aliases (ids first), suggests through them, and lists every id a typed prefix starts', () => {
    const r = new Registry<ReturnType<typeof mk>>('group-action');
    const sym = { ...mk('sym', 'group-action'), meta: { ...mk('sym', 'group-action').meta, aliases: ['permutations'] } };
    const so = { ...mk('so', 'group-action'), meta: { ...mk('so', 'group-action').meta, aliases: ['rotations', 'tanh'] } };
    r.register(sym).register(so).register(mk('translations', 'group-action')).register(mk('tanh', 'group-action'));
    expect(r.get('permutations').meta.id).toBe('sym');
    expect(r.resolveId('rotations')).toBe('so');
    expect(r.has('rotations')).toBe(true);
    expect(r.get('tanh').meta.id).toBe('tanh'); // a registered id wins over another plugin's alias
    expect(r.resolveId('nope')).toBeUndefined();
    // A misspelt alias suggests the id it stands for (before: "translations", the nearest id).
    expect(() => r.get('permutation')).toThrow('unknown group-action "permutation" (did you mean "sym"?)');
    expect(() => r.get('rotation')).toThrow('(did you mean "so"?)');
    const losses = new Registry<ReturnType<typeof mk>>('loss');
    losses.register(mk('xent', 'loss')).register(mk('mse-onehot', 'loss')).register(mk('mse-onecold', 'loss'));
    expect(() => losses.get('mse')).toThrow('unknown loss "mse" (did you mean one of "mse-onehot", "mse-onecold"?); known: xent, mse-onehot, mse-onecold');
  });

  it('refuses duplicates unless override is set, and refuses a plugin of another kind', () => {
    const r = new Registry<ReturnType<typeof mk>>('activation');
    r.register(mk('relu'));
    expect(() => r.register(mk('relu'))).toThrow('already registered');
    const replacement = mk('relu');
    r.register(replacement, { override: true });
    expect(r.get('relu')).toBe(replacement);
    expect(() => r.register(mk('x', 'architecture'))).toThrow('has kind "architecture"');
  });

  it('validates config with a message naming plugin and field', () => {
    expect(createFromPlugin(mk('relu'), {})).toEqual({ alpha: 1 });
    expect(() => createFromPlugin(mk('relu'), { alpha: -2 })).toThrow(/^activation "relu": config\.alpha: /);
  });

  it('a fresh host keeps kinds apart', () => {
    const host = new PluginHost();
    host.register(mk('relu')).register(mk('mlp', 'architecture'));
    expect(host.kinds()).toEqual(['activation', 'architecture']);
    expect(host.all().map((p) => p.meta.id)).toEqual(['relu', 'mlp']);
  });

  it('plugin conformance passes a good plugin and reports a bad one', () => {
    expect(runPluginConformance(mk('relu'))).toEqual([]);
    const bad = { ...mk('Bad Id'), meta: { id: 'Bad Id', kind: 'activation', description: '', version: 'x' } };
    expect(runPluginConformance(bad)).toEqual(expect.arrayContaining(['meta.id must be kebab-case', 'meta.version must be semver']));
  });
});

describe('closestId', () => {
  it('edit distance of classic pairs', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('prefers containment', () => {
    expect(closestId('gauss', ['exp-net', 'gauss-net', 'erf-net'])).toBe('gauss-net');
    expect(closestId('x', [])).toBeUndefined();
  });
});

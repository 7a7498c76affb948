import { tf } from '../../tf';
import type { Tensor, Variable } from '../../tf';

/** Zero-initialised slot variables shaped like `params` (momentum buffers, Adam moments). */
export function zeroSlots(params: Tensor[]): Variable[] {
  return params.map((p) => {
    const z = tf.zerosLike(p);
    const v = tf.variable(z, false);
    z.dispose();
    return v;
  });
}

/** Host copies of slots, for checkpoints. */
export function slotsToHost(slots: Variable[]): Float32Array[] {
  return slots.map((s) => Float32Array.from(s.dataSync() as Float32Array));
}

/** Slot variables from host copies; checks the count and sizes against `shapes`. */
export function slotsFromHost(arrays: Float32Array[], shapes: number[][], what: string): Variable[] {
  if (arrays.length !== shapes.length) throw new Error(`${what}: checkpoint has ${arrays.length} slots, the model needs ${shapes.length}`);
  return arrays.map((a, i) => {
    const size = shapes[i].reduce((x, y) => x * y, 1);
    if (a.length !== size) throw new Error(`${what}: slot ${i} has ${a.length} values, the model needs ${size}`);
    const t = tf.tensor(a, shapes[i]);
    const v = tf.variable(t, false);
    t.dispose();
    return v;
  });
}

import { UsageError } from '../errors';
import { Rng } from '../rng/rng';
import type { InputSet } from './types';

/** Named input grids, for `--inputs <name>:<args>` (docs/conventions.md, "Inputs"). */
export const INPUT_GRIDS = {
  linspace: 'linspace:a,b,n — n evenly spaced 1-D points from a to b (inclusive)',
  grid: 'grid:a,b,n — the product grid of linspace:a,b,n in every one of d_in dimensions (n^d_in points)',
  circle: 'circle:r,n — n points r(cos 2πk/n, sin 2πk/n) on a circle (d_in = 2)',
  sphere: 'sphere:r,n — n seeded uniform points on the sphere of radius r in R^d_in',
  normal: 'normal:n[,std] — n seeded points with iid N(0, std²) coordinates in R^d_in',
  axis: 'axis:a,b,n — n points t e_1 along the first axis, t in linspace(a,b,n), in R^d_in',
} as const;

function nums(spec: string, args: string, flag: string, count: [number, number]): number[] {
  const parts = args === '' ? [] : args.split(',').map((s) => s.trim());
  const v = parts.map(Number);
  if (parts.length < count[0] || parts.length > count[1] || parts.some((p) => p === '') || v.some((x) => !Number.isFinite(x))) {
    const name = spec.split(':')[0] as keyof typeof INPUT_GRIDS;
    throw new UsageError(`${flag}: malformed grid "${spec}"; expected ${INPUT_GRIDS[name]}`, flag);
  }
  return v;
}

function count(n: number, spec: string, flag: string, max = 1e6): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: the point count in "${spec}" must be an integer in [1, ${max}], got ${n}`, flag);
  return n;
}

function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => (n === 1 ? a : a + ((b - a) * k) / (n - 1)));
}

/** Is `value` a named grid (`name:args` with a known name)? */
export function isGridSpec(value: string): boolean {
  const m = /^([a-z]+):/.exec(value.trim());
  return Boolean(m && m[1] in INPUT_GRIDS);
}

/**
 * Build a named input grid. `dIn` is the architecture's input dimension (default: 2 for `circle`, which needs 2, else
 * 1; `linspace` needs 1; `sphere` needs an explicit `dIn`). Seeded grids (`sphere`, `normal`) draw from `Rng.derive(seed, 'inputs')`.
 *
 * @example
 * inputGrid('linspace:-1,1,5').points // [-1, -0.5, 0, 0.5, 1]
 * inputGrid('circle:1,8', { dIn: 2 }).count // 8
 */
export function inputGrid(spec: string, opts: { dIn?: number; seed?: number | string; flag?: string } = {}): InputSet {
  const flag = opts.flag ?? 'inputs';
  const m = /^([a-z]+):(.*)$/.exec(spec.trim());
  const name = m?.[1] as keyof typeof INPUT_GRIDS | undefined;
  if (!m || !name || !(name in INPUT_GRIDS)) throw new UsageError(`${flag}: unknown grid "${spec}"; known: ${Object.keys(INPUT_GRIDS).join(', ')}`, flag);
  // A grid that fixes its dimension (circle: 2) sets d_in when none is given; the others default to 1.
  const dIn = opts.dIn ?? (name === 'circle' ? 2 : 1);
  // A sphere in an implied d_in = 1 is only the two points ±r: ask for the dimension rather than guess it.
  if (name === 'sphere' && opts.dIn === undefined) {
    throw new UsageError(`${flag}: grid "sphere" needs the input dimension d_in (in d_in = 1 it is only the two points ±r)`, flag);
  }
  const args = m[2].trim();
  const rows: number[][] = [];
  const needDim = (d: number) => {
    if (dIn !== d) throw new UsageError(`${flag}: grid "${name}" makes ${d}-dimensional points but the architecture has d_in = ${dIn}`, flag);
  };
  switch (name) {
    case 'linspace': {
      const [a, b, n] = nums(spec, args, flag, [3, 3]);
      needDim(1);
      for (const t of linspace(a, b, count(n, spec, flag))) rows.push([t]);
      break;
    }
    case 'axis': {
      const [a, b, n] = nums(spec, args, flag, [3, 3]);
      for (const t of linspace(a, b, count(n, spec, flag))) rows.push(Array.from({ length: dIn }, (_, i) => (i === 0 ? t : 0)));
      break;
    }
    case 'grid': {
      const [a, b, n] = nums(spec, args, flag, [3, 3]);
      const axis = linspace(a, b, count(n, spec, flag));
      const total = Math.pow(axis.length, dIn);
      count(total, spec, flag);
      for (let k = 0; k < total; k++) {
        const row: number[] = [];
        let r = k;
        for (let i = 0; i < dIn; i++) {
          row.unshift(axis[r % axis.length]);
          r = Math.floor(r / axis.length);
        }
        rows.push(row);
      }
      break;
    }
    case 'circle': {
      const [r, n] = nums(spec, args, flag, [2, 2]);
      needDim(2);
      const N = count(n, spec, flag);
      for (let k = 0; k < N; k++) rows.push([r * Math.cos((2 * Math.PI * k) / N), r * Math.sin((2 * Math.PI * k) / N)]);
      break;
    }
    case 'sphere':
    case 'normal': {
      const v = nums(spec, args, flag, name === 'sphere' ? [2, 2] : [1, 2]);
      const N = count(name === 'sphere' ? v[1] : v[0], spec, flag);
      const scale = name === 'sphere' ? v[0] : (v[1] ?? 1);
      const rng = Rng.derive(opts.seed ?? 0, 'inputs');
      for (let k = 0; k < N; k++) {
        const row = Array.from({ length: dIn }, () => rng.normal());
        const norm = name === 'sphere' ? Math.hypot(...row) || 1 : 1;
        rows.push(row.map((x) => (scale * x) / norm));
      }
      break;
    }
  }
  return { points: Float64Array.from(rows.flat()), count: rows.length, dIn, source: spec.trim() };
}

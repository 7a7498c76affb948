import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The part of the vega API that viz uses (vega 6 UMD bundle). */
export interface VegaRuntime {
  parse(spec: unknown, config?: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' | 'svg' | 'canvas' }) => {
    toSVG(scaleFactor?: number): Promise<string>;
    finalize(): void;
  };
  version: string;
}

/** The part of the vega-lite API that viz uses. */
export interface VegaLiteRuntime {
  compile(spec: unknown, options?: { config?: unknown; logger?: unknown }): { spec: unknown };
  version: string;
}

let cache: { vega: VegaRuntime; vegaLite: VegaLiteRuntime } | undefined;

/** Directory of an installed package's resolved entry file (vega and vega-lite keep their bundles in `build/`). */
function buildDir(pkg: string): string {
  return dirname(require.resolve(pkg));
}

/** Absolute path of vega's minified UMD bundle (inlined by pages that draw with vega in the browser). */
export function vegaBundlePath(): string {
  return join(buildDir('vega'), 'vega.min.js');
}

/** Evaluate a UMD bundle as CommonJS with the given dependencies, in the current realm. */
function loadUmd<T>(file: string, deps: Record<string, unknown>): T {
  const src = readFileSync(file, 'utf8');
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const req = (id: string): unknown => {
    if (id in deps) return deps[id];
    throw new Error(`@nnsym/viz: the bundle ${file} requires "${id}", which is not provided`);
  };
  const fn = new Function('exports', 'module', 'require', 'define', `${src}\n//# sourceURL=${file}`) as (...a: unknown[]) => void;
  fn(mod.exports, mod, req, undefined);
  return mod.exports as T;
}

/**
 * vega and vega-lite, loaded once per process.
 *
 * Why not `import 'vega'`: vega 6 and vega-lite 6 are ES modules and vega's graph has a top-level await, so
 * neither `require()` (this package compiles to CommonJS) nor jest's module system can load them. Both packages
 * ship self-contained UMD bundles (`build/vega.min.js`, `build/vega-lite.min.js`); they are evaluated here as
 * CommonJS, vega-lite receiving this vega. Loading takes about 0.1 s.
 *
 * @example
 * const { vega, vegaLite } = vegaRuntime();
 * const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
 */
export function vegaRuntime(): { vega: VegaRuntime; vegaLite: VegaLiteRuntime } {
  if (!cache) {
    const vega = loadUmd<VegaRuntime>(vegaBundlePath(), {});
    const vegaLite = loadUmd<VegaLiteRuntime>(join(buildDir('vega-lite'), 'vega-lite.min.js'), { vega });
    cache = { vega, vegaLite };
  }
  return cache;
}

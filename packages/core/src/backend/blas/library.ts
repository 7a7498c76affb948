/**
 * Finding and loading a CBLAS library through the optional `koffi` FFI package. Nothing here is tfjs-specific: the
 * kernels (`BatchMatMul.ts`, `_FusedMatMul.ts`) and the host float64 API (`host.ts`) call the functions bound here.
 */
import * as os from 'node:os';

/** CBLAS enum values (cblas.h): row-major order, no-transpose / transpose, upper / lower. */
export const CBLAS = { RowMajor: 101, NoTrans: 111, Trans: 112, Upper: 121, Lower: 122 } as const;

type Sgemm = (order: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number) => void;
type Dgemm = (order: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number) => void;
type Ssyrk = (order: number, uplo: number, trans: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, beta: number, c: Float32Array, ldc: number) => void;
type Dsyrk = (order: number, uplo: number, trans: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, beta: number, c: Float64Array, ldc: number) => void;

/** A loaded CBLAS library: what it is, its thread control, and the bound routines (row-major CBLAS signatures). */
export interface BlasLibrary {
  /** `OpenBLAS`, `MKL`, `BLIS`, `Accelerate` or `CBLAS` (an unidentified library forced by `NNSYM_BLAS`). */
  vendor: string;
  /** Version string when the library reports one (`0.3.21`). */
  version?: string;
  /** What was passed to dlopen (a soname or a path). */
  path: string;
  /** Current thread count, or undefined when the library offers no control (Accelerate, unidentified CBLAS). */
  getThreads(): number | undefined;
  /** Set the library's thread count (process-wide); a no-op where it offers no control. */
  setThreads(n: number): void;
  sgemm: Sgemm;
  dgemm: Dgemm;
  dsyrk: Dsyrk;
  /** cblas_ssyrk, where the library has it (every OpenBLAS, MKL, BLIS, Accelerate; optional so a bare CBLAS loads). */
  ssyrk?: Ssyrk;
}

/** The subset of koffi's API used here (koffi is optional: typed locally so tsc never needs it installed). */
interface Koffi {
  load(path: string): { func(decl: string): (...args: unknown[]) => unknown };
}

/** Load koffi, or say why not. */
export function loadKoffi(): { ok: true; koffi: Koffi } | { ok: false; reason: string } {
  try {
    // A runtime require: koffi is an optional dependency.
    return { ok: true, koffi: require('koffi') as Koffi };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.message.split('\n')[0];
    return { ok: false, reason: err.code === 'MODULE_NOT_FOUND' && msg.includes("'koffi'") ? 'the optional FFI package koffi is not installed' : `koffi failed to load: ${msg}` };
  }
}

/** Library names tried, in order, when `NNSYM_BLAS` names none (dlopen searches the system paths). */
export function defaultCandidates(platform: NodeJS.Platform = os.platform()): string[] {
  if (platform === 'darwin') {
    return ['/System/Library/Frameworks/Accelerate.framework/Accelerate', '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib', 'libopenblas.dylib', 'libmkl_rt.dylib', 'libmkl_rt.2.dylib'];
  }
  if (platform === 'win32') return ['libopenblas.dll', 'openblas.dll', 'mkl_rt.2.dll', 'mkl_rt.dll'];
  return ['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3', 'libmkl_rt.so', 'libmkl_rt.so.2', 'libblis.so.4', 'libblis.so'];
}

const tryFunc = (lib: ReturnType<Koffi['load']>, decl: string) => {
  try {
    return lib.func(decl);
  } catch {
    return undefined;
  }
};

/**
 * dlopen `path` and bind CBLAS. Identifies OpenBLAS, MKL, BLIS and Accelerate by their own symbols; an unidentified
 * CBLAS (e.g. the netlib reference BLAS behind `libblas.so.3`, slower than the wasm kernels) is refused unless
 * `acceptGeneric` (an explicit `NNSYM_BLAS=<path>`).
 */
export function openBlas(koffi: Koffi, path: string, acceptGeneric: boolean): { ok: true; lib: BlasLibrary } | { ok: false; reason: string } {
  let lib: ReturnType<Koffi['load']>;
  try {
    lib = koffi.load(path);
  } catch (e) {
    return { ok: false, reason: `${path}: ${(e as Error).message.split('\n')[0]}` };
  }
  const sgemm = tryFunc(lib, 'void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int)');
  const dgemm = tryFunc(lib, 'void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)');
  const dsyrk = tryFunc(lib, 'void cblas_dsyrk(int, int, int, int, int, double, const double *, int, double, double *, int)');
  const ssyrk = tryFunc(lib, 'void cblas_ssyrk(int, int, int, int, int, float, const float *, int, float, float *, int)');
  if (!sgemm || !dgemm || !dsyrk) return { ok: false, reason: `${path}: no CBLAS symbols (cblas_sgemm, cblas_dgemm, cblas_dsyrk)` };

  let vendor = 'CBLAS';
  let version: string | undefined;
  let getThreads: () => number | undefined = () => undefined;
  let setThreads: (n: number) => void = () => undefined;
  const obConfig = tryFunc(lib, 'const char *openblas_get_config()');
  const mklVersion = tryFunc(lib, 'void MKL_Get_Version_String(_Out_ uint8_t *buf, int len)');
  const blisVersion = tryFunc(lib, 'const char *bli_info_get_version_str()');
  if (obConfig) {
    vendor = 'OpenBLAS';
    version = /OpenBLAS\s+(\S+)/.exec(String(obConfig()))?.[1];
    const get = tryFunc(lib, 'int openblas_get_num_threads()');
    const set = tryFunc(lib, 'void openblas_set_num_threads(int)');
    if (get && set) {
      getThreads = () => get() as number;
      setThreads = (n) => void set(n);
    }
  } else if (mklVersion) {
    vendor = 'MKL';
    const buf = new Uint8Array(256);
    mklVersion(buf, buf.length);
    version = /Version\s+([\d.]+)/.exec(Buffer.from(buf).toString('latin1'))?.[1];
    const get = tryFunc(lib, 'int MKL_Get_Max_Threads()');
    const set = tryFunc(lib, 'void MKL_Set_Num_Threads(int)');
    if (get && set) {
      getThreads = () => get() as number;
      setThreads = (n) => void set(n);
    }
  } else if (blisVersion) {
    vendor = 'BLIS';
    version = String(blisVersion());
    const get = tryFunc(lib, 'int64_t bli_thread_get_num_threads()');
    const set = tryFunc(lib, 'void bli_thread_set_num_threads(int64_t)');
    if (get && set) {
      getThreads = () => Number(get());
      setThreads = (n) => void set(n);
    }
  } else if (/Accelerate|vecLib/.test(path)) {
    vendor = 'Accelerate';
  } else if (!acceptGeneric) {
    return { ok: false, reason: `${path} is not a known optimised BLAS (OpenBLAS, MKL, BLIS, Accelerate); a reference BLAS is slower than the wasm kernels (force it with NNSYM_BLAS=${path})` };
  }
  return { ok: true, lib: { vendor, version, path, getThreads, setThreads, sgemm: sgemm as Sgemm, dgemm: dgemm as Dgemm, dsyrk: dsyrk as Dsyrk, ...(ssyrk ? { ssyrk: ssyrk as Ssyrk } : {}) } };
}

/**
 * Find a CBLAS library: `explicit` (from `NNSYM_BLAS=<path>` / `--blas <path>`) alone when given, else the
 * {@link defaultCandidates} in order. Returns the first that loads, or every reason.
 */
export function findBlas(explicit?: string): { ok: true; lib: BlasLibrary } | { ok: false; reason: string } {
  const k = loadKoffi();
  if (!k.ok) return k;
  if (explicit) return openBlas(k.koffi, explicit, true);
  const reasons: string[] = [];
  for (const c of defaultCandidates()) {
    const r = openBlas(k.koffi, c, false);
    if (r.ok) return r;
    reasons.push(r.reason);
  }
  // dlopen's "cannot open shared object file" for every name means: no BLAS installed.
  const none = reasons.every((r) => /cannot open shared object|image not found|no such file|not found/i.test(r));
  return { ok: false, reason: none ? `no CBLAS library found (tried ${defaultCandidates().join(', ')})` : reasons.filter((r) => !/cannot open shared object|image not found|no such file/i.test(r)).join('; ') };
}

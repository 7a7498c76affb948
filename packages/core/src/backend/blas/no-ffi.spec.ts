/**
 * A fresh machine without the optional FFI package (koffi not installed, e.g. `npm ci --omit=optional`): the plain
 * wasm kernels, one reason in the backend line, and every matmul still works.
 */
import { tf } from '../../tf';
import { describeBackend, initBackend } from '../backend';
import { gemm64 } from './host';

jest.mock(
  'koffi',
  () => {
    const e = new Error("Cannot find module 'koffi' from 'src/backend/blas/library.ts'") as NodeJS.ErrnoException;
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  },
  { virtual: true },
);

it('without koffi: wasm, no blas, with the reason on the backend line', async () => {
  const info = await initBackend({ backend: 'wasm', env: {} });
  expect(info.blas).toEqual({ enabled: false, reason: 'the optional FFI package koffi is not installed' });
  expect(describeBackend(info)).toMatch(/^wasm( \(simd\))?, no blas \(the optional FFI package koffi is not installed\) \[forced\]$/);
  const y = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).dataSync()));
  expect(y).toEqual([19, 22, 43, 50]);
  expect(Array.from(gemm64(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 2, 2, 2))).toEqual([19, 22, 43, 50]);
});

it('without koffi, an explicit NNSYM_BLAS library is a usage error naming the variable', async () => {
  await expect(initBackend({ backend: 'wasm', env: { NNSYM_BLAS: 'libopenblas.so.0' } })).rejects.toMatchObject({
    field: 'NNSYM_BLAS',
    message: 'NNSYM_BLAS: cannot use BLAS library "libopenblas.so.0" (the optional FFI package koffi is not installed)',
  });
});

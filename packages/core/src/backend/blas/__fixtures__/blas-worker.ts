// Shard-worker fixture for blas.spec.ts: start the backend in the worker and report its BLAS state.
import { initBackend } from '../../backend';
import { currentBlas } from '../blas';

export async function blasInWorker(): Promise<{ enabled: boolean; threads: number | null | undefined; workers: string | undefined }> {
  await initBackend({ backend: 'wasm' });
  const b = currentBlas();
  return { enabled: Boolean(b?.enabled), threads: b?.threads, workers: process.env['NNSYM_BLAS_WORKERS'] };
}

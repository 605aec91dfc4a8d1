/** A Web Worker that runs one GEMM product and says which kernel ran it (web/blobWorker.test.ts). */
import { gemmStrided, kernelBackend } from '../../../src/engine/kernels/gemm';
import type { Product } from '../gemmReference';

interface WorkerScope {
  postMessage(message: { backend: string; C: Float64Array }): void;
  onmessage: ((e: { readonly data: Product }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = ({ data: p }) => {
  const C = gemmStrided(p.m, p.n, p.k, p.A, p.k, 1, p.B, p.n, 1);
  scope.postMessage({ backend: kernelBackend(), C });
};

/**
 * Web worker host only: a Web Worker from a Blob URL, started through the extension's own
 * transport (src/extension/platform/webWorkerPort.ts) as the long runs are, compiles the
 * WebAssembly GEMM kernel and computes what the plain triple loop does.
 */
import { strict as assert } from 'node:assert';
import kernelWorker from 'bundled-worker:test/integration/web/kernelWorker.ts';
import { startWebWorker, workerBlobUrl } from '../../../src/extension/platform/webWorkerPort';
import { Product, product, reference } from '../gemmReference';

describe('a Web Worker from a Blob URL', () => {
  it('runs the WebAssembly GEMM kernel, with the triple loop’s result', async () => {
    const blob = workerBlobUrl(kernelWorker);
    const worker = startWebWorker<Product, { backend: string; C: Float64Array }>(blob.url);
    try {
      const p = product();
      const answer = await new Promise<{ backend: string; C: Float64Array }>((resolve, reject) => {
        worker.onMessage(resolve);
        worker.onError(reject);
        worker.post(p);
      });
      assert.equal(answer.backend, 'wasm');
      assert.deepEqual(answer.C, reference(p));
    } finally {
      worker.terminate();
      blob.dispose();
    }
  });
});

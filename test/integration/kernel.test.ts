/**
 * The GEMM kernel (WebAssembly SIMD, assembled from src/engine/kernels/gemm.wat) in the extension
 * host this run is in: the Node one, or the browser's web worker host, which has no
 * SharedArrayBuffer (the kernel needs none). web/blobWorker.test.ts checks it in a Web Worker too.
 */
import { strict as assert } from 'node:assert';
import { gemmStrided, kernelBackend, setKernelBackend } from '../../src/engine/kernels/gemm';
import { product, reference } from './gemmReference';
import { HOST } from './host';

describe('the GEMM kernel in this extension host', () => {
  it(`compiles to WebAssembly here (${HOST}) and equals the plain triple loop`, () => {
    setKernelBackend('auto');
    assert.equal(kernelBackend(), 'wasm');
    assert.equal(typeof SharedArrayBuffer === 'undefined', HOST === 'webworker', 'SharedArrayBuffer where expected');
    const p = product();
    assert.deepEqual(gemmStrided(p.m, p.n, p.k, p.A, p.k, 1, p.B, p.n, 1), reference(p));
  });
});

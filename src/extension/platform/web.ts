/**
 * The browser's platform: Web Workers started from a Blob URL of the worker's code (which the
 * web bundle carries as text), and no home folder.
 */
import type { Platform } from './platform';
import { startWebWorker, workerBlobUrl } from './webWorkerPort';

export function webPlatform(workerSource: string): Platform {
  let blob: ReturnType<typeof workerBlobUrl> | undefined;
  return {
    host: 'webworker',
    // Made at the first long run: most sessions never need a worker.
    startWorker: () => startWebWorker((blob ??= workerBlobUrl(workerSource)).url),
    homeFolder: undefined,
    dispose: () => blob?.dispose(),
  };
}

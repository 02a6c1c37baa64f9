import type { InferenceSession } from 'onnxruntime-web';

type Ort = typeof import('onnxruntime-web');
let ortPromise: Promise<Ort> | null = null;

/**
 * ONNX Runtime (web build, WebAssembly) loaded once per process. One wasm thread: the machine has two cores
 * shared with the API server, and batches of a few thousand rows are already sub-millisecond per row.
 */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortPromise;
}

export async function createSession(onnx: Uint8Array): Promise<InferenceSession> {
  const ort = await loadOrt();
  return ort.InferenceSession.create(onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

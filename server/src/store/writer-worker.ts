import { Worker } from 'node:worker_threads';

export interface WriterWorkerData {
  /** The SQLite file. */
  path: string;
  busyTimeoutMs: number;
}

/**
 * Starts the batch writer's thread (batch-writer-worker). The build runs its JavaScript; source
 * runs (tests, `pnpm dev`) load its TypeScript through tsx, which workers do not inherit.
 */
export function startWriterWorker(data: WriterWorkerData): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './batch-writer-worker.ts' : './batch-writer-worker.js', import.meta.url);
  if (!source) return new Worker(entry, { workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * Starts a worker thread from a module beside the caller. After tsc the module is a .js file;
 * when the sources run as .ts (tests, under tsx), the worker registers tsx itself, because the
 * main thread's loader hooks do not reach worker threads on Node 20.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `callerUrl` is the caller's `import.meta.url`; `name` the module's name without extension. */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const source = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); })`, { ...options, eval: true });
}

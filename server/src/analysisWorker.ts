// Large documents are analysed on a worker thread, so that hover, completion and the validation
// of other documents stay answered meanwhile. A newer version of the same document cancels the
// run under way (the worker is ended and a fresh one started on demand).
import type { Worker } from 'node:worker_threads';
import { analyze, type EngineContext, type Finding } from '../../core/engine';

/**
 * Marks the worker: the command-line argument its process.argv ends with. An argument rather than
 * `workerData`, so that the server's start-up need not load node:worker_threads to tell (it is
 * loaded when the first large document is analysed).
 */
const WORKER_ARG = '--vip-analysis-worker';

interface Job {
  id: number;
  text: string;
  settings: Pick<EngineContext, 'supportedVersions'>;
}

/** True in the worker thread started by AnalysisWorker: the entry point runs `serveAnalysis()`. */
export function isAnalysisWorker(): boolean {
  return process.argv[process.argv.length - 1] === WORKER_ARG && !workerThreads().isMainThread;
}

function workerThreads(): typeof import('node:worker_threads') {
  return require('node:worker_threads') as typeof import('node:worker_threads');
}

/** The worker side: analyse each text it is sent. */
export function serveAnalysis(): void {
  const { parentPort } = workerThreads();
  parentPort!.on('message', (job: Job) => {
    let findings: Finding[] = [];
    let error: string | undefined;
    try {
      findings = analyze(job.text, job.settings);
    } catch (e) {
      error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    parentPort!.postMessage({ id: job.id, findings, error });
  });
}

export class Cancelled extends Error {}

interface Pending {
  key: string;
  job: Job;
  resolve: (f: Finding[]) => void;
  reject: (e: Error) => void;
}

/**
 * The server side: one worker, one job at a time, in order. A new job for the same document
 * replaces its queued one and ends its running one (the worker is ended and started anew).
 */
export class AnalysisWorker {
  private worker?: Worker;
  private nextId = 1;
  private running?: Pending;
  private readonly queue: Pending[] = [];

  constructor(
    private readonly entry: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Findings for `text`; rejects with Cancelled when a newer job for `key` (the document) supersedes it. */
  analyze(key: string, text: string, settings: Job['settings']): Promise<Finding[]> {
    this.cancel(key);
    return new Promise<Finding[]>((resolve, reject) => {
      this.queue.push({ key, job: { id: this.nextId++, text, settings }, resolve, reject });
      this.pump();
    });
  }

  /** Cancels the queued and running jobs for `key`. */
  cancel(key: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].key === key) this.queue.splice(i, 1)[0].reject(new Cancelled('superseded'));
    }
    if (this.running?.key === key) {
      this.running.reject(new Cancelled('superseded'));
      this.running = undefined;
      void this.worker?.terminate();
      this.worker = undefined;
    }
  }

  dispose(): void {
    for (const p of this.queue.splice(0)) p.reject(new Cancelled('shutdown'));
    this.running?.reject(new Cancelled('shutdown'));
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = this.queue.shift()!;
    this.ensureWorker().postMessage(this.running.job);
  }

  private finish(result: { findings?: Finding[]; error?: Error }): void {
    const done = this.running;
    this.running = undefined;
    if (done) {
      if (result.error) done.reject(result.error);
      else done.resolve(result.findings ?? []);
    }
    this.pump();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new (workerThreads().Worker)(this.entry, { argv: [WORKER_ARG] });
    worker.unref(); // never keeps the server alive on its own
    worker.on('message', (m: { id: number; findings: Finding[]; error?: string }) => {
      if (this.running?.job.id !== m.id) return;
      this.finish(m.error ? { error: new Error(m.error) } : { findings: m.findings });
    });
    worker.on('error', (e) => {
      this.log(`Analysis worker failed: ${e.stack ?? e.message}`);
      if (this.worker === worker) this.worker = undefined;
      this.finish({ error: e });
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return; // ended on purpose (cancel)
      this.worker = undefined;
      if (this.running) this.finish({ error: new Error('the analysis worker stopped') });
    });
    this.worker = worker;
    return worker;
  }
}

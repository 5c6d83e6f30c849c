import { Worker } from 'node:worker_threads';
import type { CompileError, JourneyMachine, PreviewOptions, PreviewResult } from '@waymark/shared';
import { PreviewError } from './preview-error.ts';

/** What the preview thread is given: a document to validate and compile, or a published machine, and the story to play. */
export interface PreviewJob {
  id: number;
  journey: { document: unknown } | { machine: JourneyMachine };
  options: Omit<PreviewOptions, 'machine' | 'progressId'>;
}

/** What it answers: the document's problems, or the preview (with the compiled journey's name), or the error it hit. */
export type PreviewAnswer = { id: number; invalid: CompileError[] } | { id: number; name: string; result: PreviewResult } | { id: number; failed: string };

/** Plays previews away from the HTTP thread, one at a time, each within a budget. */
export interface PreviewRunner {
  /** The preview, or the document's problems; rejects with a `too-expensive` or `busy` PreviewError. */
  run(journey: PreviewJob['journey'], options: PreviewJob['options']): Promise<Exclude<PreviewAnswer, { failed: string }>>;
}

/**
 * Runs `previewJourney` in a worker thread. A preview is pure but not cheap: any member (a viewer
 * too) may send a document whose loop passes a one-minute wait for 400 days with a costly template
 * in it — seconds to minutes of work in one synchronous call. On the HTTP thread that would stall
 * every request; here it stalls only previews, and one that passes `budgetMs` (or the thread's
 * memory) is stopped and answered as too expensive. At most `maxWaiting` previews queue, then busy.
 */
export function createPreviewRunner({ budgetMs = 5_000, maxWaiting = 16, memoryMb = 512 } = {}): PreviewRunner {
  let thread: Promise<Worker> | null = null;
  let turn: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  let lastId = 0;

  const start = (): Promise<Worker> => {
    const worker = new Worker(new URL('./preview-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    // Idle, the thread never keeps the process alive; it is held only while it plays.
    worker.unref();
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the preview thread stopped (exit code ${code}) before it was ready`)));
    });
    // A thread that ended (stopped, or crashed while idle) is replaced at the next preview.
    worker.once('exit', () => {
      if (thread === ready) thread = null;
    });
    return ready;
  };

  const tooExpensive = () =>
    new PreviewError(
      'too-expensive',
      'preview-too-expensive',
      `This preview needs more than ${budgetMs / 1_000} seconds of work, the most one may take: shorten the story (its horizon or items), or make the journey's loops and templates lighter.`,
      { budgetMs },
    );

  const play = async (job: PreviewJob): Promise<PreviewAnswer> => {
    thread ??= start();
    let worker: Worker;
    try {
      worker = await thread;
    } catch (error) {
      thread = null;
      throw error;
    }
    return new Promise<PreviewAnswer>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit).unref();
      };
      const stop = (error: Error) => {
        settle();
        thread = null;
        void worker.terminate();
        reject(error);
      };
      const onMessage = (answer: PreviewAnswer) => {
        if (answer.id !== job.id) return;
        settle();
        resolve(answer);
      };
      const onError = (error: Error & { code?: string }) => stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooExpensive() : error);
      const onExit = (code: number) => stop(new Error(`the preview thread stopped (exit code ${code})`));
      const timer = setTimeout(() => stop(tooExpensive()), budgetMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit).ref();
      worker.postMessage(job);
    });
  };

  return {
    run(journey, options) {
      if (waiting >= maxWaiting) return Promise.reject(new PreviewError('busy', 'busy', 'Too many previews are waiting on this server right now; nothing was run. Send it again shortly.'));
      waiting++;
      const job: PreviewJob = { id: ++lastId, journey, options };
      const mine = turn.then(() => play(job)).finally(() => waiting--);
      turn = mine.catch(() => {});
      return mine.then((answer) => {
        if ('failed' in answer) throw new Error(`the preview failed: ${answer.failed}`);
        return answer;
      });
    },
  };
}

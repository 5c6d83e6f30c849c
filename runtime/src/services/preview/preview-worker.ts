import { parentPort } from 'node:worker_threads';
import { compileJourney, previewJourney, validateJourney, type JourneyMachine, type PreviewResult } from '@waymark/shared';
import type { PreviewAnswer, PreviewJob } from './preview-runner.ts';

/*
 * The preview thread (see `createPreviewRunner`): validates and compiles a document with publish's
 * validator and compiler, then plays the story with `previewJourney`. Shared's pure code only.
 */
const port = parentPort!;

function answer(job: PreviewJob): PreviewAnswer {
  try {
    let machine: JourneyMachine;
    if ('machine' in job.journey) machine = job.journey.machine;
    else {
      const errors = validateJourney(job.journey.document);
      if (errors.length) return { id: job.id, invalid: errors };
      machine = compileJourney(job.journey.document);
    }
    // The engine calls it made are for shared's tests, not the answer.
    const { trace: _trace, ...result } = previewJourney({ machine, ...job.options }) as PreviewResult & { trace?: unknown };
    return { id: job.id, name: machine.name, result };
  } catch (error) {
    return { id: job.id, failed: error instanceof Error ? error.message : String(error) };
  }
}

port.on('message', (job: PreviewJob) => port.postMessage(answer(job)));
port.postMessage({ ready: true });

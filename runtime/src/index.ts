// What other packages (benchmarks, tools) use of the runtime.
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
export { freeLocalPort } from './db/free-port.ts';
export { bootstrapWorkspace } from './services/bootstrap.ts';
export { createJourney, publishJourney } from './services/journeys/journey-service.ts';
export { saveProvider } from './services/providers/provider-store.ts';
export { createSegmentWrites, persistSegments, reevaluate, touchedBy, type SegmentDef, type SegmentWrites } from './services/segments/segment-upkeep.ts';
export type { CustomerRecord } from './services/execution/run-batch.ts';

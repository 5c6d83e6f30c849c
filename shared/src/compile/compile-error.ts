import { z } from 'zod';

/** Stable codes: the canvas, the API (HTTP 422) and tests match on them. */
export const CompileErrorCode = z.enum([
  'invalid-document',
  'invalid-settings',
  'no-trigger',
  'multiple-triggers',
  'duplicate-node-id',
  'unknown-node-type',
  'invalid-node-data',
  'duplicate-edge-id',
  'missing-node',
  'unknown-handle',
  'edge-into-trigger',
  'duplicate-handle-edge',
  'dangling-handle',
  'unreachable-node',
  'cycle-without-wait',
  'template-syntax',
  'split-weights',
  'duplicate-split-arm',
  'invalid-time-zone',
  'trigger-reference-without-event',
  'unknown-message-node',
  'unknown-segment',
  'unknown-trait',
  'unknown-event',
  'empty-condition',
  'unused-content',
  'missing-default',
  'enrolled-only',
]);
export type CompileErrorCode = z.infer<typeof CompileErrorCode>;

/**
 * A problem with a journey document, pointing at the node, edge and field it is about. A
 * `warning` (from `reviewJourney`) is worth a look but does not stop publishing.
 */
export const CompileError = z.object({
  code: CompileErrorCode,
  severity: z.enum(['error', 'warning']).optional(),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Dotted path inside the node's `data` (or the document, for document-level problems). */
  field: z.string().optional(),
});
export type CompileError = z.infer<typeof CompileError>;

/** Thrown by `compileJourney` when the document does not validate. */
export class JourneyInvalidError extends Error {
  readonly errors: CompileError[];
  constructor(errors: CompileError[]) {
    super(`Journey is invalid: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'JourneyInvalidError';
    this.errors = errors;
  }
}

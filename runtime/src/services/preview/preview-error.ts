/** What went wrong, in the domain's terms; `http/` turns each kind into a status. */
export type PreviewErrorKind = 'not-found' | 'invalid' | 'journey-invalid' | 'conflict' | 'too-expensive' | 'busy';

/**
 * Why a preview, a test customer or a replay could not be given: a stable `code`, a sentence, and
 * `details` (the field it is about, or the journey's CompileError list).
 */
export class PreviewError extends Error {
  readonly kind: PreviewErrorKind;
  readonly code: string;
  readonly details: unknown;
  constructor(kind: PreviewErrorKind, code: string, message: string, details?: unknown) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

import type { CompileError } from '@waymark/shared';
import type { FieldError } from './field-errors.ts';

/** One node's problems, split into field errors for the form and general ones listed above it. */
export function problemErrors(problems: readonly CompileError[], nodeId: string): { fields: FieldError[]; general: CompileError[] } {
  const fields: FieldError[] = [];
  const general: CompileError[] = [];
  for (const problem of problems) {
    if (problem.nodeId !== nodeId) continue;
    if (problem.field) fields.push({ path: problem.field, message: problem.message });
    else general.push(problem);
  }
  return { fields, general };
}

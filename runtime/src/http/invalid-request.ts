import type { Context } from 'hono';
import { ApiError } from './api-error.ts';

/** zValidator hook: a body that does not match its contract is a 400 naming the field. */
export function invalidRequest(result: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }, _c: Context) {
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new ApiError(400, 'invalid-request', `${field ? `"${field}": ` : ''}${issue.message}`, { field, issues: result.error.issues });
}

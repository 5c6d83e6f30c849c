import { type EnrollmentItem, type EnrollmentResponse, maxEnrollments } from '@waymark/shared';
import { api, ApiFailure } from '../../api/client.ts';
import type { RejectedRow } from './read-enrollment-csv.ts';

/** A customer to enroll, with how the person knows them (a name, an address, a line of the file). */
export interface Enrollee {
  item: EnrollmentItem;
  label: string;
  line?: number;
}

/** Why a customer did not enter, in the words of the journey's settings. */
export const refusalWords: Record<string, string> = {
  'already-in-journey': 'Already in this journey',
  're-entry-never': 'Has been in this journey before, and it does not let customers back',
  're-entry-cooldown': 'Left this journey too recently to enter again',
  'no-key': 'Has no value for the property this journey runs once per',
  paused: 'The journey is paused',
  'not-found': 'No customer with this id or address',
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Enrolls `enrollees` a thousand at a time, each call with its own idempotency key (so a retried
 * call after a dropped connection or a busy server enrolls nobody twice), reporting progress.
 * Returns how many entered and who did not, with why.
 */
export async function enrollInBatches(path: string, enrollees: Enrollee[], onProgress: (done: number) => void): Promise<{ enrolled: number; notEntered: RejectedRow[] }> {
  const session = crypto.randomUUID();
  let enrolled = 0;
  const notEntered: RejectedRow[] = [];
  for (let start = 0; start < enrollees.length; start += maxEnrollments) {
    const part = enrollees.slice(start, start + maxEnrollments);
    const body = { customers: part.map((e) => e.item), idempotencyKey: `${session}-${start / maxEnrollments}` };
    const answer = await withRetries(() => api<EnrollmentResponse>('POST', path, body));
    enrolled += answer.enrolled;
    for (const result of answer.results) {
      if (result.status === 'enrolled') continue;
      const who = part[result.index]!;
      notEntered.push({ line: who.line ?? start + result.index + 1, identifier: who.label, reason: refusalWords[result.code ?? ''] ?? result.reason ?? 'Did not enter' });
    }
    onProgress(Math.min(enrollees.length, start + part.length));
  }
  return { enrolled, notEntered };
}

/** Tries a call again (same idempotency key) when the server was unreachable or busy; other failures stop. */
export async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const passing = error instanceof ApiFailure && (error.status === 0 || error.status === 503);
      if (!passing || attempt >= 4) throw error;
      await pause(500 * 2 ** attempt);
    }
  }
}

import { z } from 'zod';

/** The most customers one enrollment call takes. */
export const maxEnrollments = 1_000;

/** Who to enroll: exactly one of the customer's id, user id or email, and what templates read as `event`. */
export const EnrollmentItem = z
  .object({
    customerId: z.string().min(1).max(200).optional(),
    userId: z.string().min(1).max(200).optional(),
    email: z.string().min(1).max(254).optional(),
    /** Read by templates and conditions as the trigger event's properties (`{{ event.coupon }}`). */
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((item) => [item.customerId, item.userId, item.email].filter((v) => v !== undefined).length === 1, {
    message: 'Name the customer by exactly one of customerId, userId or email.',
    path: ['customerId'],
  });
export type EnrollmentItem = z.infer<typeof EnrollmentItem>;

export const EnrollmentRequest = z.object({
  customers: z
    .array(EnrollmentItem)
    .min(1, 'List at least one customer.')
    .max(maxEnrollments, `At most ${maxEnrollments.toLocaleString('en')} customers per call; send the rest in another.`),
  /** The same key again (within the journey) answers what the first call answered and enrolls nobody again. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type EnrollmentRequest = z.infer<typeof EnrollmentRequest>;

/** `POST …/journeys/:id/enrollments/segment`: everyone in a saved segment enters, in the background. */
export const SegmentEnrollmentRequest = z.object({ segmentId: z.string().min(1, 'Choose a segment').max(200) });
export type SegmentEnrollmentRequest = z.infer<typeof SegmentEnrollmentRequest>;

/** One customer's outcome, in the order of the request. */
export const EnrollmentResult = z.object({
  index: z.number(),
  status: z.enum(['enrolled', 'refused', 'not-found']),
  customerId: z.string().nullable(),
  runId: z.string().optional(),
  /** Why not: `already-in-journey`, `re-entry-never`, `re-entry-cooldown`, `no-key`, `paused`, `not-found`. */
  code: z.string().optional(),
  reason: z.string().optional(),
});
export type EnrollmentResult = z.infer<typeof EnrollmentResult>;

export const EnrollmentResponse = z.object({
  enrolled: z.number(),
  refused: z.number(),
  notFound: z.number(),
  results: z.array(EnrollmentResult),
  /** True when this answers a repeated idempotency key: nobody was enrolled by this call. */
  replayed: z.boolean(),
});
export type EnrollmentResponse = z.infer<typeof EnrollmentResponse>;

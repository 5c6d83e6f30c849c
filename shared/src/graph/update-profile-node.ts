import { z } from 'zod';
import { Template } from './channel.ts';
import { choiceOf, nodeOf } from './node-base.ts';

export const ProfileOperation = z.discriminatedUnion('op', [
  z.object({
    op: choiceOf('set', 'Change', 'Set a trait'),
    trait: z.string().min(1, 'Name the trait'),
    /** A Liquid template; its output is converted to `as`. */
    value: Template('Value'),
    as: z.enum(['string', 'number', 'boolean', 'date']).default('string'),
  }),
  z.object({ op: choiceOf('unset', 'Change', 'Remove a trait'), trait: z.string().min(1, 'Name the trait') }),
]);
export type ProfileOperation = z.infer<typeof ProfileOperation>;

export const UpdateProfileNodeData = z.object({
  operations: z.array(ProfileOperation).min(1, 'Add at least one change'),
});
export type UpdateProfileNodeData = z.infer<typeof UpdateProfileNodeData>;

/** Sets or unsets traits. Handle: `next`. */
export const UpdateProfileNode = nodeOf('update-profile', UpdateProfileNodeData);
export type UpdateProfileNode = z.infer<typeof UpdateProfileNode>;

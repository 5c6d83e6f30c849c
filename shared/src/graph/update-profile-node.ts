import { z } from 'zod';
import { Template } from './channel.ts';
import { nodeOf } from './node-base.ts';

export const ProfileOperation = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('set'),
    trait: z.string().min(1, 'Name the trait'),
    /** A Liquid template; its output is converted to `as`. */
    value: Template('Value'),
    as: z.enum(['string', 'number', 'boolean', 'date']).default('string'),
  }),
  z.object({ op: z.literal('unset'), trait: z.string().min(1, 'Name the trait') }),
]);
export type ProfileOperation = z.infer<typeof ProfileOperation>;

export const UpdateProfileNodeData = z.object({
  operations: z.array(ProfileOperation).min(1, 'Add at least one change'),
});
export type UpdateProfileNodeData = z.infer<typeof UpdateProfileNodeData>;

/** Sets or unsets traits. Handle: `next`. */
export const UpdateProfileNode = nodeOf('update-profile', UpdateProfileNodeData);
export type UpdateProfileNode = z.infer<typeof UpdateProfileNode>;

import { z } from 'zod';
import { JourneySettings } from './journey-settings.ts';
import { JourneyNode } from './journey-node.ts';

/** The version of the document format; bumped with a migration when the shape changes. */
export const currentSchemaVersion = 1;

/** A connection from one node's handle to another node. */
export const JourneyEdge = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  sourceHandle: z.string().min(1).default('next'),
  target: z.string().min(1),
});
export type JourneyEdge = z.infer<typeof JourneyEdge>;

/** What the canvas saves: React Flow shaped nodes and edges plus settings. */
export const JourneyDocument = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  id: z.string().min(1),
  name: z.string().min(1, 'Name the journey').max(200),
  description: z.string().max(2_000).optional(),
  settings: JourneySettings.default(() => JourneySettings.parse({})),
  graph: z.object({
    nodes: z.array(JourneyNode),
    edges: z.array(JourneyEdge),
  }),
});
export type JourneyDocument = z.infer<typeof JourneyDocument>;
/** The document as written by hand or by the canvas, before defaults are filled in. */
export type JourneyDocumentInput = z.input<typeof JourneyDocument>;

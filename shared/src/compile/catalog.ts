/**
 * What a workspace knows exists: trait names (with the share of recent profiles that have each)
 * and event names with their property names. `reviewJourney` warns about references outside it.
 */
export interface Catalog {
  traits?: readonly string[];
  /** Trait name → share (0–1) of recent profiles that have it, for "first_name is missing for 10% of customers". */
  traitCoverage?: Readonly<Record<string, number>>;
  events?: Readonly<Record<string, { properties?: readonly string[] }>>;
  /** The workspace's saved segments: a journey naming one that is not here cannot be published. */
  segments?: readonly { id: string; name: string }[];
}

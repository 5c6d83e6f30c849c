/**
 * What a workspace knows exists: trait names and event names with their property names.
 * When given to `validateJourney`, references outside it are errors.
 */
export interface Catalog {
  traits?: readonly string[];
  events?: Readonly<Record<string, { properties?: readonly string[] }>>;
}

import { createContext, useContext } from 'react';
import type { SeenCatalog } from './inspector/field-suggestions.ts';

/** The workspace catalog (trait and event names seen, with trait coverage), loaded once per open editor. */
export interface EditorCatalog extends SeenCatalog {
  traitCoverage?: Record<string, number>;
}

export const CatalogContext = createContext<EditorCatalog | null>(null);

/** The open editor's catalog, or null while it loads (or when it could not be read). */
export const useCatalog = () => useContext(CatalogContext);

import type { JourneyDocumentInput } from '@waymark/shared';

export interface DocumentDiff {
  added: string[];
  removed: string[];
  changed: string[];
  edgesChanged: boolean;
  settingsChanged: boolean;
}

/** What publishing `draft` changes against the live version: nodes added, removed or edited, wiring, settings. */
export function diffDocuments(live: JourneyDocumentInput | null, draft: JourneyDocumentInput): DocumentDiff {
  const before = new Map((live?.graph?.nodes ?? []).map((n) => [n.id, JSON.stringify([n.type, n.data])]));
  const after = new Map((draft.graph?.nodes ?? []).map((n) => [n.id, JSON.stringify([n.type, n.data])]));
  const wiring = (d: JourneyDocumentInput | null) => JSON.stringify((d?.graph?.edges ?? []).map((e) => `${e.source}:${e.sourceHandle ?? 'next'}>${e.target}`).sort());
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
    edgesChanged: wiring(live) !== wiring(draft),
    settingsChanged: JSON.stringify(live?.settings ?? {}) !== JSON.stringify(draft.settings ?? {}),
  };
}

import { useState } from 'react';
import type { WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { navigate } from '../app/use-route.ts';

interface VersionRow {
  version: number;
  publishedBy: string;
  publishedAt: string;
}

/** The published versions; choosing one opens it read-only. */
export function VersionsMenu({ journeyId, liveVersion, workspace }: { journeyId: string; liveVersion: number | null; workspace: WorkspaceSummary }) {
  const [versions, setVersions] = useState<VersionRow[] | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = async () => {
    setOpen(!open);
    if (!versions) setVersions(await api<VersionRow[]>('GET', `/api/workspaces/${workspace.id}/journeys/${journeyId}/versions`));
  };
  return (
    <div className="wm-menu">
      <button type="button" aria-expanded={open} onClick={() => void toggle()}>
        Versions
      </button>
      {open && (
        <ul className="wm-menu-list">
          {versions === null ? (
            <li>Loading…</li>
          ) : versions.length === 0 ? (
            <li>Not published yet.</li>
          ) : (
            versions.map((v) => (
              <li key={v.version}>
                <button type="button" role="menuitem" onClick={() => navigate(`/journeys/${journeyId}/versions/${v.version}`)}>
                  Version {v.version}
                  {v.version === liveVersion ? ' (live)' : ''} · {new Date(v.publishedAt).toLocaleString()} · {v.publishedBy}
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}

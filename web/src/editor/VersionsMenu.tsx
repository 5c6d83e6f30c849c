import { useCallback, useRef, useState } from 'react';
import type { WorkspaceSummary } from '@waymark/shared';
import { api } from '../api/client.ts';
import { navigate } from '../app/use-route.ts';
import { useMenuFocus } from './canvas/use-menu-focus.ts';

interface VersionRow {
  version: number;
  publishedBy: string;
  publishedAt: string;
}

/** The published versions; choosing one opens it read-only. The popover takes focus, moves with arrows, closes on Escape or a click outside. */
export function VersionsMenu({ journeyId, liveVersion, workspace }: { journeyId: string; liveVersion: number | null; workspace: WorkspaceSummary }) {
  const [versions, setVersions] = useState<VersionRow[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  const anchor = useCallback(() => button.current, []);
  const onKeyDown = useMenuFocus(list, open, close, anchor, versions !== null || failed !== null);
  const toggle = async () => {
    setOpen(!open);
    if (versions || open) return;
    try {
      setVersions(await api<VersionRow[]>('GET', `/api/workspaces/${workspace.id}/journeys/${journeyId}/versions`));
    } catch (e) {
      setFailed((e as Error).message);
    }
  };
  const note = failed ?? (versions === null ? 'Loading…' : versions.length === 0 ? 'Not published yet: publish to keep a version here.' : null);
  return (
    <div className="wm-menu">
      <button ref={button} type="button" aria-expanded={open} aria-haspopup="menu" onClick={() => void toggle()}>
        Versions
      </button>
      {open && (
        <div ref={list} className="wm-menu-list" role="menu" aria-label="Published versions" tabIndex={-1} onKeyDown={onKeyDown} data-testid="versions-menu">
          {note && <p className="wm-menu-note">{note}</p>}
          {versions?.map((v) => (
            <button key={v.version} type="button" className="wm-menu-item" role="menuitem" onClick={() => navigate(`/journeys/${journeyId}/versions/${v.version}`)}>
              Version {v.version}
              {v.version === liveVersion ? ' (live)' : ''} · {new Date(v.publishedAt).toLocaleString()} · {v.publishedBy}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

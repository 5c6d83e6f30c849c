import { type ReactFlowState, useReactFlow, useStore } from '@xyflow/react';
import { Keyboard, Map as MapIcon, Maximize, ZoomIn, ZoomOut } from 'lucide-react';
import { StatsSegmentChip } from '../stats/StatsSegmentChip.tsx';
import { JourneyGoal } from './JourneyGoal.tsx';

const selectZoom = (s: ReactFlowState) => Math.round(s.transform[2] * 100);

/** Above the canvas: the journey's goal and exits, whose numbers it shows when a segment's, then zoom, fit, minimap and shortcuts buttons (each with its key). */
export function CanvasHeader({ onFit, onHelp, mapShown, mapRoom, onToggleMap }: { onFit(): void; onHelp(): void; mapShown: boolean; mapRoom: boolean; onToggleMap(): void }) {
  const flow = useReactFlow();
  const zoom = useStore(selectZoom);
  const mapTitle = !mapShown ? 'Show the minimap' : mapRoom ? 'Hide the minimap' : 'The minimap is out of the way: every corner has a step under it. Zoom out or pan to make room.';
  return (
    <div className="wm-canvas-head">
      <JourneyGoal />
      <StatsSegmentChip />
      <div className="wm-canvas-tools" role="toolbar" aria-label="Canvas view">
        <button type="button" className="wm-icon-button" onClick={() => void flow.zoomOut({ duration: 200 })} aria-label="Zoom out" title="Zoom out (-)">
          <ZoomOut aria-hidden size={18} />
        </button>
        <span className="wm-zoom" data-testid="zoom-level">
          {zoom}%
        </span>
        <button type="button" className="wm-icon-button" onClick={() => void flow.zoomIn({ duration: 200 })} aria-label="Zoom in" title="Zoom in (+)">
          <ZoomIn aria-hidden size={18} />
        </button>
        <button type="button" className="wm-icon-button" onClick={onFit} aria-label="Fit the journey in view" title="Fit the journey in view (Shift+1)">
          <Maximize aria-hidden size={18} />
        </button>
        <button type="button" className="wm-icon-button" onClick={onToggleMap} aria-pressed={mapShown} aria-label="Minimap" title={mapTitle}>
          <MapIcon aria-hidden size={18} />
        </button>
        <button type="button" className="wm-icon-button" onClick={onHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          <Keyboard aria-hidden size={18} />
        </button>
      </div>
    </div>
  );
}

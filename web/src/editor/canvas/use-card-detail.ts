import { type ReactFlowState, useStore } from '@xyflow/react';
import { type CardDetail, cardDetail } from './card-detail.ts';

const selectDetail = (s: ReactFlowState) => cardDetail(s.transform[2]);

/** The detail cards show at the current zoom; re-renders only when the zoom crosses a threshold. */
export function useCardDetail(): CardDetail {
  return useStore(selectDetail);
}

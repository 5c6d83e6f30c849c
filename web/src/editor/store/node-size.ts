/** Every card on the canvas has this size, so layouts, drops and insertions can place nodes before they are measured. */
export const nodeSize = { width: 240, height: 96 } as const;

/** Vertical room between a node and the one after it: enough for a branch label and the "+" button. */
export const rowGap = 100;

/** Room under a card for its unconnected branch labels and "+" buttons, in flow pixels. */
export const belowCard = 56;

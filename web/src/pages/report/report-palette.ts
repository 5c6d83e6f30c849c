/** Okabe–Ito colours, told apart with colour blindness; each series also has its own dash. */
export const seriesLook = {
  entered: { label: 'Entries', color: '#0072B2', dash: undefined },
  sent: { label: 'Sends', color: '#E69F00', dash: '6 3' },
  opened: { label: 'Opens', color: '#56B4E9', dash: '2 3' },
  clicked: { label: 'Clicks', color: '#CC79A7', dash: '8 3 2 3' },
  converted: { label: 'Conversions', color: '#009E73', dash: undefined },
} as const;

export type Series = keyof typeof seriesLook;
export const seriesOrder: Series[] = ['entered', 'sent', 'opened', 'clicked', 'converted'];

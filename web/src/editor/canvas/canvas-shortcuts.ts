/** One line of the shortcuts help: the key combinations (any of them works) and what they do. */
export interface Shortcut {
  keys: string[][];
  does: string;
}

/** Every canvas action and its keys, grouped as the help lists them; `Mod` reads Ctrl (Cmd on a Mac). */
export const canvasShortcuts: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Move around',
    items: [
      { keys: [['J'], ['K']], does: 'Select the next / previous step, in the order customers go' },
      { keys: [['Tab']], does: 'Move focus through steps, "+" buttons and panels' },
      { keys: [['Enter'], ['Space']], does: 'Select the focused step' },
      { keys: [['Mod', 'A']], does: 'Select every step' },
      { keys: [['Esc']], does: 'Clear the selection, or close a menu' },
      { keys: [['Shift', '1']], does: 'Fit the journey in view' },
      { keys: [['+'], ['-']], does: 'Zoom in / out' },
      { keys: [['Shift', '0']], does: 'Zoom to 100%' },
    ],
  },
  {
    group: 'Build',
    items: [
      { keys: [['Enter']], does: 'On a palette item: add it after the selected step' },
      { keys: [['A']], does: 'Add a step after the selected one (the "+" menu)' },
      { keys: [['C']], does: 'Connect the selected step to another' },
      { keys: [['Arrow keys']], does: 'Move the selected steps (hold Shift to move further)' },
      { keys: [['Delete'], ['Backspace']], does: 'Delete the selection' },
      {
        keys: [
          ['Mod', 'C'],
          ['Mod', 'V'],
        ],
        does: 'Copy / paste',
      },
      { keys: [['Mod', 'D']], does: 'Duplicate' },
      { keys: [['Mod', 'Z']], does: 'Undo' },
      {
        keys: [
          ['Mod', 'Shift', 'Z'],
          ['Mod', 'Y'],
        ],
        does: 'Redo',
      },
      { keys: [['L']], does: 'Auto-layout' },
      { keys: [['?']], does: 'Show these shortcuts' },
    ],
  },
];

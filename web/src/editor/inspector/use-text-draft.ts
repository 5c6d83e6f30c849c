import { useState } from 'react';

/**
 * Text typed into a field and read into a value only when it is committed (the field loses
 * focus): `read` turns text into a value or throws, and the error `invalid` words then stays under
 * the field with the text until it is fixed; a value that shows differently from the field's is
 * reported with `onChange`. A change from outside (undo, another field) replaces a stale draft.
 */
export function useTextDraft(
  shown: string,
  { read, show, invalid, onChange }: { read(text: string): unknown; show(value: unknown): string; invalid(error: unknown): string; onChange(next: unknown): void },
) {
  const [draft, setDraft] = useState({ text: shown, from: shown, error: null as string | null });
  if (draft.from !== shown) setDraft({ text: shown, from: shown, error: null });
  const commit = () => {
    try {
      const value = read(draft.text);
      setDraft({ ...draft, error: null });
      if (show(value) !== shown) onChange(value);
    } catch (error) {
      setDraft({ ...draft, error: invalid(error) });
    }
  };
  return { text: draft.text, error: draft.error, edit: (text: string) => setDraft({ ...draft, text }), commit };
}

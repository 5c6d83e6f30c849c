import { Check, Copy } from 'lucide-react';
import { useState } from 'react';

/** Copies `text` to the clipboard and says so for a moment; names what it copies for screen readers. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      // No clipboard here (an insecure origin): the value stays on screen, selectable in one click.
      setCopied(false);
    }
  };
  return (
    <button type="button" className="wm-copy" aria-label={`Copy ${what}`} onClick={() => void copy()}>
      {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

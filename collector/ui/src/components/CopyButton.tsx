// Copies a value to the clipboard and says so (for screen readers too, through role=status).
import { useState } from 'preact/hooks';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'' | 'Copied' | 'Copy failed: select the id and copy it'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('Copied');
    } catch {
      setDone('Copy failed: select the id and copy it');
    }
    setTimeout(() => setDone(''), 2500);
  };
  return (
    <>
      <button type="button" class="small" onClick={copy} data-testid="copy-session-id">
        {label}
      </button>
      <span role="status" class="muted">
        {done}
      </span>
    </>
  );
}

/** A failed action's sentence, announced to screen readers; nothing when there is none. */
export function ErrorAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="wm-error">
      {message}
    </p>
  );
}

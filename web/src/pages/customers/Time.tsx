import { timeAgo } from '../../components/relative-time.ts';

/** A time as people read it: relative when recent, absolute on hover, in the viewer's zone. */
export function Time({ at }: { at: string }) {
  const { text, title } = timeAgo(at);
  return (
    <time dateTime={at} title={title}>
      {text}
    </time>
  );
}

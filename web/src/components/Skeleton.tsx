/** Grey bars where rows will be, while they load: the layout holds still and nothing reads as empty. */
export function SkeletonRows({ rows, columns }: { rows: number; columns: number }) {
  return (
    <tbody className="wm-skeleton" aria-hidden="true">
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r}>
          {Array.from({ length: columns }, (_, c) => (
            <td key={c}>
              <span className="wm-skeleton-bar" />
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

/** A block of placeholder lines, for panels that load. */
export function SkeletonLines({ lines, label }: { lines: number; label: string }) {
  return (
    <div className="wm-skeleton" role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="wm-skeleton-bar" />
      ))}
    </div>
  );
}

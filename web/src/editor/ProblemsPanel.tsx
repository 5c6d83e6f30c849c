import type { CompileError } from '@waymark/shared';

/** `validateJourney`'s problems as you edit; choosing one selects and centres its node. */
export function ProblemsPanel({ problems, onShow }: { problems: CompileError[]; onShow(nodeId: string): void }) {
  return (
    <section className="wm-problems" aria-label="Problems">
      <h2>{problems.length ? `${problems.length} problem${problems.length > 1 ? 's' : ''}` : 'No problems: ready to publish'}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.code}-${p.nodeId ?? ''}-${p.field ?? ''}-${i}`}>
            {p.nodeId ? (
              <button type="button" onClick={() => onShow(p.nodeId!)} data-testid="problem">
                <code>{p.nodeId}</code> {p.message}
              </button>
            ) : (
              <span data-testid="problem">{p.message}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A validation message for a dotted path inside the form's value ("wait.duration.amount"). */
export interface FieldError {
  path: string;
  message: string;
}

/** `parent.key`, or `key` at the root. */
export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

const isUnder = (path: string, parent: string) => parent === '' || path === parent || path.startsWith(`${parent}.`);

/** Errors exactly at `path`, and with `deep` also those anywhere beneath it. */
export function errorsAt(errors: readonly FieldError[], path: string, deep = false): FieldError[] {
  return errors.filter((error) => error.path === path || (deep && isUnder(error.path, path)));
}

/**
 * Errors beneath `path` whose next segment is none of `shown`: a container lists them itself,
 * so a message about a field the form does not render is never lost.
 */
export function orphanErrors(errors: readonly FieldError[], path: string, shown: (segment: string) => boolean): FieldError[] {
  const prefix = path === '' ? '' : `${path}.`;
  return errors.filter((error) => {
    if (error.path === path || !error.path.startsWith(prefix)) return false;
    const segment = error.path.slice(prefix.length).split('.')[0] ?? '';
    return !shown(segment);
  });
}

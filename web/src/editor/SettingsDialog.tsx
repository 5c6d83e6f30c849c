import { useMemo } from 'react';
import { JourneySettings, type CompileError } from '@waymark/shared';
import { useCatalog } from './catalog-context.ts';
import { fieldChoices, fieldSuggestions } from './inspector/field-suggestions.ts';
import { SchemaForm } from './inspector/SchemaForm.tsx';
import type { JsonSchema } from './inspector/json-schema.ts';
import { useEditor } from './store/editor-context.ts';
import type { EditorActions, EditorState } from './store/editor-store.ts';

/** The settings form comes from the same zod schema the validator uses. */
const settingsSchema = JourneySettings.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as JsonSchema;

const selectSettings = (s: EditorState & EditorActions) => ({ settings: s.meta.settings ?? {}, readOnly: s.readOnly, problems: s.problems, updateMeta: s.updateMeta });

/** Re-entry, concurrency, goal, exit criteria, quiet hours and time zone of the journey. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { settings, readOnly, problems, updateMeta } = useEditor(selectSettings);
  const catalog = useCatalog();
  const suggest = useMemo(() => fieldSuggestions(settings, catalog), [settings, catalog]);
  const choices = useMemo(() => fieldChoices(catalog), [catalog]);
  const errors = problems
    .filter((p: CompileError) => p.code === 'invalid-settings' || p.code === 'invalid-time-zone')
    .map((p) => ({ path: (p.field ?? '').replace(/^settings\.?/, ''), message: p.message }));
  return (
    <div className="wm-dialog wm-settings" role="dialog" aria-modal="true" aria-labelledby="settings-title">
      <h2 id="settings-title">Journey settings</h2>
      <SchemaForm
        schema={settingsSchema}
        value={settings}
        onChange={(next) => updateMeta({ settings: next as never })}
        errors={errors}
        readOnly={readOnly}
        idPrefix="settings"
        suggest={suggest}
        choices={choices}
      />
      <div className="wm-dialog-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

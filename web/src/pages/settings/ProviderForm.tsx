import { type ProviderKind, ProviderView } from '@waymark/shared';
import { type FormEvent, useState } from 'react';
import { ApiFailure, api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fieldErrorOf, initialValues, type ProviderField, providerFields, providerInputOf, secretPlaceholder } from './provider-form-model.ts';

const titles: Record<ProviderKind, string> = { smtp: 'Email through SMTP', twilio: 'SMS through Twilio (or a compatible API)', 'web-push': 'Web push' };

/**
 * Connects or changes a channel's provider. Secrets are write-only: a stored one shows its last
 * characters as the placeholder and an empty field keeps it. The API's refusals appear under the
 * field they name.
 */
export function ProviderForm({
  kind,
  path,
  view,
  onSaved,
  onCancel,
}: {
  kind: ProviderKind;
  /** `/api/workspaces/:ws/providers/:channel` */
  path: string;
  view: ProviderView | null;
  onSaved(view: ProviderView): void;
  onCancel(): void;
}) {
  const [values, setValues] = useState(() => initialValues(kind, view));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const idOf = (name: string) => `provider-${kind}-${name}`;

  const change = (name: string, value: string) => {
    const next = { ...values, [name]: value };
    // The usual port follows the security chosen, unless someone typed their own.
    if (kind === 'smtp' && name === 'tls') {
      const usual: Record<string, string> = { implicit: '465', starttls: '587' };
      if (Object.values(usual).includes(values.port ?? '') && usual[value]) next.port = usual[value]!;
    }
    setValues(next);
    if (errors[name]) setErrors({ ...errors, [name]: '' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = providerInputOf(kind, values);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setSaving(true);
    try {
      const saved = ProviderView.parse(await api('PUT', path, built.input));
      setErrors({});
      setError(null);
      onSaved(saved);
    } catch (e) {
      const onField = e instanceof ApiFailure ? fieldErrorOf(kind, e) : null;
      if (onField) {
        setErrors({ [onField.field]: onField.message });
        setError(null);
        document.getElementById(idOf(onField.field))?.focus();
      } else setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const input = (field: ProviderField) => {
    const common = {
      id: idOf(field.name),
      name: field.name,
      value: values[field.name] ?? '',
      'aria-invalid': errors[field.name] ? true : undefined,
      'aria-describedby': errors[field.name] ? `${idOf(field.name)}-error` : field.hint ? `${idOf(field.name)}-hint` : undefined,
    };
    if (field.type === 'select')
      return (
        <select {...common} onChange={(e) => change(field.name, e.target.value)}>
          {field.options!.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    return (
      <input
        {...common}
        type={field.type === 'password' ? 'password' : 'text'}
        inputMode={field.type === 'number' ? 'numeric' : undefined}
        autoComplete={field.type === 'password' ? 'new-password' : 'off'}
        placeholder={field.part === 'secret' ? (secretPlaceholder(view, field.name) ?? field.placeholder) : field.placeholder}
        onChange={(e) => change(field.name, e.target.value)}
      />
    );
  };

  return (
    <form className="wm-provider-form" onSubmit={(e) => void submit(e)} noValidate aria-label={titles[kind]}>
      <h4>{titles[kind]}</h4>
      <div className="wm-form-grid">
        {providerFields[kind].map((field) => (
          <div key={field.name} className={`wm-form-field${errors[field.name] ? ' has-error' : ''}`}>
            <label htmlFor={idOf(field.name)}>
              {field.label}
              {!field.required && field.part === 'settings' && field.type !== 'select' && <span className="wm-optional"> (optional)</span>}
            </label>
            {input(field)}
            {errors[field.name] ? (
              <p className="wm-field-error" id={`${idOf(field.name)}-error`}>
                {errors[field.name]}
              </p>
            ) : (
              field.hint && (
                <p className="wm-field-hint" id={`${idOf(field.name)}-hint`}>
                  {field.hint}
                </p>
              )
            )}
          </div>
        ))}
      </div>
      <ErrorAlert message={error} />
      <div className="wm-row-actions">
        <button type="submit" className="wm-primary" disabled={saving}>
          {saving ? 'Saving…' : view ? 'Save changes' : 'Connect'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { ApiFailure } from '../api/client.ts';
import { useSession } from '../app/session.ts';

/** Email and password; a wrong one says so without saying which. */
export function SignInPage() {
  const signIn = useSession((s) => s.signIn);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
    } catch (e) {
      setError(e instanceof ApiFailure && e.status === 401 ? 'That email and password do not match an account. The first start of Waymark printed the owner’s sign-in.' : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="wm-signin" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Waymark</h1>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className="wm-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

import { useRef, useState, type FormEvent } from 'react';
import { useDocumentTitle } from '../../../hooks/use-document-title.ts';
import type { AuthPrompt } from '../../../lib/auth-store.ts';
import { TOKEN_REFUSED, type TokenCheckResult } from '../api/check-token.ts';

const INTRO: Record<AuthPrompt, string> = {
  needed: 'Enter an API token to see and manage its jobs. Whoever runs this server can give you one.',
  rejected: 'The token in use was refused: it may be mistyped, or no longer valid. Enter a token to continue.',
  'signed-out': 'You signed out and the token was forgotten. Enter a token to continue.',
};

interface TokenPageProps {
  reason: AuthPrompt;
  /** Asks the server whether it accepts `token`. */
  check: (token: string) => Promise<TokenCheckResult>;
  /** Keeps a token the server accepted. */
  onAccepted: (token: string) => void;
}

/**
 * Asks for the API token a server configured with tokens wants, tries it before keeping it, and
 * says so when it is refused. The token is kept for this tab only.
 */
export function TokenPage({ reason, check, onAccepted }: TokenPageProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(reason === 'rejected' ? TOKEN_REFUSED : null);
  const [checking, setChecking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useDocumentTitle('API token');

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') {
      setError('Enter the token');
      input.current?.focus();
      return;
    }
    setChecking(true);
    setError(null);
    const result = await check(candidate);
    setChecking(false);
    if (result.accepted) {
      onAccepted(candidate);
      return;
    }
    setError(result.message);
    input.current?.select();
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <svg className="brand__mark" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="8" cy="8" r="7" />
            <path d="M8 4v4l3 2" />
          </svg>
          Zeitgeber
        </span>
      </header>
      <main id="main" className="main main--narrow">
        <section className="panel token-panel" aria-labelledby="token-title" aria-describedby="token-intro">
          <h1 id="token-title">This Zeitgeber needs an API token</h1>
          <p id="token-intro">{INTRO[reason]}</p>
          <form className="token-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={checking}>
            <div className={`field${error === null ? '' : ' field--invalid'}`}>
              <label className="field__label" htmlFor="api-token">
                API token
              </label>
              <input
                ref={input}
                id="api-token"
                type="password"
                autoComplete="off"
                spellCheck={false}
                autoFocus
                value={token}
                onChange={(event) => setToken(event.target.value)}
                aria-invalid={error === null ? undefined : true}
                aria-describedby={error === null ? 'api-token-hint' : 'api-token-error api-token-hint'}
              />
              {error !== null && (
                <p className="field__error" id="api-token-error" role="alert">
                  {error}
                </p>
              )}
              <p className="field__hint" id="api-token-hint">
                Kept in this tab only, until you sign out or close it.
              </p>
            </div>
            <button type="submit" className="button button--primary" disabled={checking}>
              {checking ? 'Checking…' : 'Sign in'}
            </button>
          </form>
        </section>
      </main>
    </div>
  );
}

import { ApiError, setToken, storedToken } from '../api';
import { unreachable } from './connection';

/** An error from the API, in words; a 401 asks for a token. */
export function Problem({ error }: { error: Error }) {
  if (error instanceof ApiError && error.status === 401) return <TokenForm refused={error} />;
  if (unreachable(error)) {
    return (
      <div className="problem" role="alert">
        <strong>Cannot reach the Weir server.</strong>
        <p>
          Is <code>weir serve</code> (or <code>weir dev</code>) still running? This page keeps
          trying.
        </p>
      </div>
    );
  }
  return (
    <div className="problem" role="alert">
      <strong>{error.message}</strong>
      {error instanceof ApiError && error.hint ? <p>{error.hint}</p> : null}
    </div>
  );
}

function TokenForm({ refused }: { refused: ApiError }) {
  // A token was sent and refused (not merely missing): say so.
  const wrong = storedToken() !== null;
  return (
    <form
      className="token-form"
      onSubmit={(event) => {
        event.preventDefault();
        const value = new FormData(event.currentTarget).get('token');
        if (typeof value === 'string' && value.trim() !== '') {
          setToken(value.trim());
          window.location.reload();
        }
      }}
    >
      <h2>This server needs a token</h2>
      <p>
        Paste the token its operator gave you (WEIR_TOKEN or WEIR_VIEWER_TOKEN). It is kept for this
        tab only.
      </p>
      {wrong ? (
        <p className="problem" role="alert">
          {refused.message}
          {refused.hint ? ` — ${refused.hint}` : ''}
        </p>
      ) : null}
      <input name="token" type="password" autoComplete="off" aria-label="token" />
      <button type="submit">Sign in</button>
    </form>
  );
}

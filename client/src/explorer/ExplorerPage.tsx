import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { buildSchema } from 'graphql';
import { GraphiQL } from 'graphiql';
import { useGraphiQL } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import sdl from '../../../schema.graphql?raw';
import { EXAMPLE_TABS } from './examples';
import './explorer.css';

/**
 * Requests carry the session cookie unless the headers name a key: then only the key, as a
 * program would send it. The JSON body satisfies the API's CSRF rule (no simple request).
 */
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    return fetch(input, { ...init, credentials: headers.has('authorization') ? 'omit' : 'same-origin' });
  },
});

interface Signed {
  name: string;
  organization: string;
}

/** Who the explorer's queries run as without a key: the signed-in member, or nobody. */
function useSignedIn(): Signed | null | undefined {
  const [signed, setSigned] = useState<Signed | null | undefined>(undefined);
  useEffect(() => {
    void fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { user { email username } organization { name } } }' }),
    })
      .then((response) => response.json())
      .then(({ data }) => {
        const viewer = data?.viewer;
        setSigned(
          viewer
            ? { name: viewer.user.email ?? viewer.user.username ?? '', organization: viewer.organization.name }
            : null,
        );
      })
      .catch(() => setSigned(null));
  }, []);
  return signed;
}

/** Puts an `Authorization: Bearer` header in the headers editor, or takes it out again. */
function ApiKeyHelper() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const [key, setKey] = useState('');
  const useKey = (event: FormEvent) => {
    event.preventDefault();
    headerEditor?.setValue(JSON.stringify({ Authorization: `Bearer ${key.trim()}` }, null, 2));
    setKey('');
  };
  return (
    <form className="explorer-key" onSubmit={useKey}>
      <label htmlFor="explorer-api-key">Use an API key</label>
      <input
        id="explorer-api-key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="gth_…"
        value={key}
        onChange={(event) => setKey(event.target.value)}
      />
      <button type="submit" disabled={!key.trim()}>
        Use key
      </button>
      <button type="button" onClick={() => headerEditor?.setValue('')}>
        Use my session
      </button>
    </form>
  );
}

export function ExplorerPage() {
  const schema = useMemo(() => buildSchema(sdl), []);
  const signed = useSignedIn();
  return (
    <div className="explorer">
      <header className="explorer-bar">
        <strong>Gatehouse API explorer</strong>
        <span className="explorer-who" role="status">
          {signed === undefined
            ? ''
            : signed
              ? `Queries run as ${signed.name} in ${signed.organization}, with your permissions.`
              : 'Not signed in: sign in, or use an API key below the response.'}
        </span>
        {signed === null && <a href="/signin">Sign in</a>}
        <a href="/settings/api-keys">API keys</a>
      </header>
      <GraphiQL
        fetcher={fetcher}
        schema={schema}
        defaultTabs={EXAMPLE_TABS}
        defaultEditorToolsVisibility
        shouldPersistHeaders={false}
      >
        <GraphiQL.Footer>
          <ApiKeyHelper />
        </GraphiQL.Footer>
      </GraphiQL>
    </div>
  );
}

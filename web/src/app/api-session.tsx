import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { ConnectionProvider } from '../lib/connection-context.tsx';
import type { ApiAccess, GraphqlConnection } from '../lib/graphql-client.ts';

interface ApiSessionProps {
  api: ApiAccess;
  token: string | null;
  /** The server refused `token`. */
  onRefused: () => void;
  children: ReactNode;
}

/**
 * The GraphQL client and live feed for one token, given to every view below. A new token gets a
 * new connection (and an empty cache): nothing fetched with one token is shown with another.
 */
export function ApiSession({ api, token, onRefused, children }: ApiSessionProps) {
  const [graphql, setGraphql] = useState<GraphqlConnection | null>(null);
  const latestOnRefused = useRef(onRefused);
  latestOnRefused.current = onRefused;

  useEffect(() => {
    const created = api.connect(token, () => latestOnRefused.current());
    setGraphql(created);
    return () => created.dispose();
  }, [api, token]);

  if (graphql === null) return null;
  return (
    <Provider value={graphql.client}>
      <ConnectionProvider store={graphql.connection}>{children}</ConnectionProvider>
    </Provider>
  );
}

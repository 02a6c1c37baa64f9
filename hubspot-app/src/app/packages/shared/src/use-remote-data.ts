import { useCallback, useEffect, useRef, useState } from 'react';
import { CardApiError } from './api-client.ts';

/** Async state as a tagged union: the card renders exactly one of these, never a half-loaded mix. */
export type RemoteState<T> = { status: 'loading' } | { status: 'success'; data: T } | { status: 'error'; error: string };

export interface RemoteData<T> {
  state: RemoteState<T>;
  /** Loads again (retry, or after an action changed the data). */
  reload: () => void;
  /** Replaces the data with a fresher copy the caller already has (e.g. the rescore response). */
  replace: (data: T) => void;
}

export function errorMessage(error: unknown): string {
  if (error instanceof CardApiError) return error.message;
  return 'Something went wrong while loading Closewise.';
}

const LOADING = { status: 'loading' } as const;

/**
 * Loads once per `key` and on reload. Responses that arrive after a newer request started are
 * ignored, so a slow first response cannot overwrite a fresher retry.
 *
 * The settled result remembers which request it answers; until the current request has settled the
 * state is "loading". So nothing calls setState synchronously inside the effect, and the latest `load`
 * is stored from an effect, not during render (React's hook rules, enforced by HubSpot's lint config).
 */
export function useRemoteData<T>(key: string, load: () => Promise<T>): RemoteData<T> {
  const [generation, setGeneration] = useState(0);
  const [settled, setSettled] = useState<{ request: string; state: RemoteState<T> } | null>(null);
  const latestRequest = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const request = `${generation}:${key}`;
  useEffect(() => {
    const id = ++latestRequest.current;
    loadRef.current().then(
      (data) => {
        if (id === latestRequest.current) setSettled({ request, state: { status: 'success', data } });
      },
      (error: unknown) => {
        if (id === latestRequest.current) setSettled({ request, state: { status: 'error', error: errorMessage(error) } });
      },
    );
  }, [request]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const replace = useCallback(
    (data: T) => {
      latestRequest.current++;
      setSettled({ request, state: { status: 'success', data } });
    },
    [request],
  );
  const state: RemoteState<T> = settled?.request === request ? settled.state : LOADING;
  return { state, reload, replace };
}

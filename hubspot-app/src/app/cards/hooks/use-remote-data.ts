import { useCallback, useEffect, useRef, useState } from 'react';
import { CardApiError } from '../shared/api-client.ts';

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

/**
 * Loads once per `key` and on reload. Responses that arrive after a newer request started are
 * ignored, so a slow first response cannot overwrite a fresher retry.
 */
export function useRemoteData<T>(key: string, load: () => Promise<T>): RemoteData<T> {
  const [state, setState] = useState<RemoteState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latestRequest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and generation are the triggers; load is read through a ref.
  useEffect(() => {
    const request = ++latestRequest.current;
    setState({ status: 'loading' });
    loadRef.current().then(
      (data) => {
        if (request === latestRequest.current) setState({ status: 'success', data });
      },
      (error: unknown) => {
        if (request === latestRequest.current) setState({ status: 'error', error: errorMessage(error) });
      },
    );
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const replace = useCallback((data: T) => {
    latestRequest.current++;
    setState({ status: 'success', data });
  }, []);
  return { state, reload, replace };
}

import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { deferred } from '../test-support/fake-fetch.ts';
import { CardApiError } from './api-client.ts';
import { useRemoteData } from './use-remote-data.ts';

/** A minimal consumer: shows the state, and a button that reloads. */
function Harness({ load }: { load: () => Promise<string> }) {
  const { state, reload } = useRemoteData('key', load);
  return (
    <>
      <Text testId="state">
        {state.status === 'success' ? `success:${state.data}` : state.status === 'error' ? `error:${state.error}` : 'loading'}
      </Text>
      <Button onClick={() => reload()} testId="reload">
        Reload
      </Button>
    </>
  );
}

describe('useRemoteData', () => {
  it('ignores a slow response that arrives after a newer one', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const pending = [first, second];
    let calls = 0;
    const { findByTestId, waitFor, render } = createRenderer('crm.record.tab');
    render(<Harness load={() => pending[calls++]!.promise} />);
    await vi.waitFor(() => expect(calls).toBe(1));
    findByTestId(Button, 'reload').trigger('onClick');
    await vi.waitFor(() => expect(calls).toBe(2));

    second.resolve('fresh');
    await waitFor(() => expect(findByTestId(Text, 'state').text).toBe('success:fresh'));
    first.resolve('stale');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(findByTestId(Text, 'state').text).toBe('success:fresh');
  });

  it('turns a CardApiError into its message', async () => {
    const r1 = createRenderer('crm.record.tab');
    r1.render(<Harness load={() => Promise.reject(new CardApiError('http', 'Signature expired.', 401))} />);
    await r1.waitFor(() => expect(r1.findByTestId(Text, 'state').text).toBe('error:Signature expired.'));
  });

  it('uses a generic message for unexpected errors', async () => {
    const r2 = createRenderer('crm.record.tab');
    r2.render(<Harness load={() => Promise.reject(new TypeError('x is undefined'))} />);
    await r2.waitFor(() => expect(r2.findByTestId(Text, 'state').text).toBe('error:Something went wrong while loading Closewise.'));
  });
});

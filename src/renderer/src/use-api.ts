import { useCallback, useEffect, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { api, errorMessage } from './api/client';

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

/** Calls a contract method and tracks loading/error state; `reload` calls it again. */
export function useApi<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  deps: readonly unknown[],
): [Loadable<MethodOutput<M>>, () => void] {
  const [state, setState] = useState<Loadable<MethodOutput<M>>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    api.call(method, input).then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers pass the deps that define the input
  }, [method, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [state, reload];
}

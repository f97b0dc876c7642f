import { useCallback, useEffect, useState } from 'react';

/** ResourceState is a request's progress: loading, its data, or the error it ended with. */
export type ResourceState<T> =
  | { status: 'loading'; data: T | undefined; error: null }
  | { status: 'success'; data: T; error: null }
  | { status: 'error'; data: T | undefined; error: Error };

/** Resource is a ResourceState with the means to load it again or update it in place. */
export type Resource<T> = ResourceState<T> & {
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
  /** Changes the loaded data without a request, e.g. after a successful create or delete. */
  update: (change: (data: T) => T) => void;
};

/**
 * useResource loads data when a component mounts and whenever `load` changes (keep it stable:
 * a module-level function or one wrapped in useCallback). A load that is superseded or
 * unmounted is aborted and its result ignored.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading', data: undefined, error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'success', data, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const asError = error instanceof Error ? error : new Error(String(error));
        setState((previous) => ({ status: 'error', data: previous.data, error: asError }));
      },
    );
    return () => controller.abort();
  }, [load, generation]);

  const reload = useCallback(() => {
    setState((previous) => ({ status: 'loading', data: previous.data, error: null }));
    setGeneration((g) => g + 1);
  }, []);

  const update = useCallback((change: (data: T) => T) => {
    setState((previous) =>
      previous.data === undefined ? previous : { status: 'success', data: change(previous.data), error: null },
    );
  }, []);

  return { ...state, reload, update };
}

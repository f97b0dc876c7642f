import { ApiError, NetworkError, parseRetryAfter, toApiError } from './api-error';
import type { Args, Method, PathFor, RequestOptions, ResponseBody, RuntimeOptions } from './api-operations';
import { boundSession } from './session-binding';

// The one module that talks HTTP. Every request goes through `request`, which adds the access
// token, sends the session cookie, and turns any failure into an ApiError or a NetworkError,
// so callers handle errors in terms of codes and fields, never of response bodies.

const baseUrl: string = import.meta.env.VITE_API_URL ?? '';
const timeoutMs = 20_000;

function buildUrl(path: string, params: Record<string, string> | undefined, query?: Record<string, string>): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`api-client: missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
  const search = query === undefined ? '' : `?${new URLSearchParams(query).toString()}`;
  return `${baseUrl}${filled}${search}`;
}

async function send(method: Method, url: string, options: RuntimeOptions, token: string | null): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json' });
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(options.form).toString();
  }
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);

  // The timeout applies whether or not the caller brings its own signal.
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body,
      // The refresh token lives in an HttpOnly cookie on this origin; scripts never see it.
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    // The caller gave up: that is an abort, not a failure to report.
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (timeout.aborted) throw new NetworkError('Gatehouse took too long to answer. Please try again.');
    throw new NetworkError();
  }
}

const unreadable = Symbol('unreadable');

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return unreadable;
  try {
    return (await response.json()) as unknown;
  } catch {
    return unreadable;
  }
}

/**
 * request calls the API. With `auth` (the default) it sends the access token and, on a 401,
 * refreshes the session once and retries once; if that fails too the session is over.
 * It resolves to the success body and rejects with ApiError or NetworkError.
 */
export async function request<M extends Method, P extends PathFor<M>>(
  method: M,
  path: P,
  ...[options]: Args<RequestOptions<P, M>>
): Promise<ResponseBody<P, M>> {
  const opts = (options ?? {}) as RuntimeOptions;
  const url = buildUrl(path, opts.params, opts.query);
  const useAuth = opts.auth ?? true;

  const sentWith = useAuth ? (boundSession()?.accessToken() ?? null) : null;
  let response = await send(method, url, opts, sentWith);
  const binding = useAuth ? boundSession() : null;
  if (response.status === 401 && binding !== null) {
    // If the token changed since this request left, another request has refreshed already:
    // retry with its token rather than start a refresh of our own.
    const current = binding.accessToken();
    const token = current !== null && current !== sentWith ? current : await binding.refresh();
    if (token !== null) {
      response = await send(method, url, opts, token);
      if (response.status === 401) binding.expired();
    }
  }

  const body = await readJson(response);
  if (!response.ok) {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    throw toApiError(response.status, body === unreadable ? undefined : body, retryAfter);
  }
  // Every success but a 204 carries JSON; anything else (a proxy's HTML page, a truncated
  // body) would reach the caller as undefined and crash it far from here.
  if (body === unreadable) {
    throw new ApiError(
      response.status,
      'Gatehouse sent an answer the app could not read. Please try again.',
      'bad_response',
    );
  }
  return body as ResponseBody<P, M>;
}

/** api is `request` with one method per HTTP verb: `api.post('/api/auth/register', { json })`. */
export const api = {
  get: <P extends PathFor<'get'>>(path: P, ...options: Args<RequestOptions<P, 'get'>>) =>
    request('get', path, ...options),
  post: <P extends PathFor<'post'>>(path: P, ...options: Args<RequestOptions<P, 'post'>>) =>
    request('post', path, ...options),
  put: <P extends PathFor<'put'>>(path: P, ...options: Args<RequestOptions<P, 'put'>>) =>
    request('put', path, ...options),
  patch: <P extends PathFor<'patch'>>(path: P, ...options: Args<RequestOptions<P, 'patch'>>) =>
    request('patch', path, ...options),
  delete: <P extends PathFor<'delete'>>(path: P, ...options: Args<RequestOptions<P, 'delete'>>) =>
    request('delete', path, ...options),
};

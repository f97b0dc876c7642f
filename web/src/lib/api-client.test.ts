// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, noContent } from '../test/fake-api';
import { api } from './api-client';
import { ApiError, NetworkError } from './api-error';
import { bindSession } from './session-binding';

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** stubHangingFetch makes fetch wait until its signal aborts, then reject with the reason. */
function stubHangingFetch() {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
        }),
    ),
  );
}

describe('request', () => {
  let unbind: (() => void) | undefined;
  afterEach(() => {
    unbind?.();
    vi.restoreAllMocks();
  });

  it('sends JSON with the session cookie and returns the body', async () => {
    const server = fakeApi({ 'POST /api/auth/register': json(201, { message: 'User registered successfully' }) });
    const answer = await api.post('/api/auth/register', {
      auth: false,
      json: { email: 'a@example.com', first_name: 'A', last_name: 'B', password: 'secret-pass' },
    });
    expect(answer).toEqual({ message: 'User registered successfully' });
    const [call] = server.requests;
    expect(call?.headers.get('Content-Type')).toBe('application/json');
    expect(call?.headers.get('Authorization')).toBeNull();
    expect(call?.credentials).toBe('same-origin');
    expect(JSON.parse(call?.body ?? '')).toEqual({
      email: 'a@example.com',
      first_name: 'A',
      last_name: 'B',
      password: 'secret-pass',
    });
  });

  it('sends forms url-encoded', async () => {
    const server = fakeApi({
      'POST /api/auth/session': json(200, { access_token: 't', token_type: 'bearer', expires_in: 900 }),
    });
    await api.post('/api/auth/session', { auth: false, form: { username: 'a+b@example.com', password: 'p&ss word' } });
    expect(server.requests[0]?.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(server.requests[0]?.body).toBe('username=a%2Bb%40example.com&password=p%26ss+word');
  });

  it('fills and encodes path parameters and resolves a 204 to undefined', async () => {
    const server = fakeApi({ 'DELETE /api/email-accounts/a%2Fb': noContent() });
    await expect(api.delete('/api/email-accounts/{id}', { params: { id: 'a/b' } })).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('adds the bearer token from the bound session', async () => {
    const server = fakeApi({ 'GET /api/email-accounts': json(200, []) });
    unbind = bindSession({ accessToken: () => 'tok', refresh: () => Promise.resolve(null), expired: vi.fn() });
    await api.get('/api/email-accounts');
    expect(server.requests[0]?.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    const server = fakeApi({
      'GET /api/email-accounts': [json(401, { detail: 'Not authenticated' }), json(200, [])],
    });
    const refresh = vi.fn(() => Promise.resolve('fresh'));
    const expired = vi.fn();
    unbind = bindSession({ accessToken: () => 'stale', refresh, expired });

    await expect(api.get('/api/email-accounts')).resolves.toEqual([]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.requests.map((r) => r.headers.get('Authorization'))).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(expired).not.toHaveBeenCalled();
  });

  it('gives up after one retry and reports the session expired', async () => {
    const server = fakeApi({ 'GET /api/email-accounts': json(401, { detail: 'Not authenticated' }) });
    const refresh = vi.fn(() => Promise.resolve('fresh'));
    const expired = vi.fn();
    unbind = bindSession({ accessToken: () => 'stale', refresh, expired });

    await expect(api.get('/api/email-accounts')).rejects.toMatchObject({ status: 401, message: 'Not authenticated.' });
    expect(server.requests).toHaveLength(2);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not retry when the refresh finds no session', async () => {
    const server = fakeApi({ 'GET /api/email-accounts': json(401, { detail: 'Not authenticated' }) });
    unbind = bindSession({ accessToken: () => 'stale', refresh: () => Promise.resolve(null), expired: vi.fn() });
    await expect(api.get('/api/email-accounts')).rejects.toBeInstanceOf(ApiError);
    expect(server.requests).toHaveLength(1);
  });

  it('never refreshes for calls made without auth', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': json(401, {
        detail: 'Refresh token is invalid or expired',
        code: 'invalid_refresh_token',
      }),
    });
    const refresh = vi.fn(() => Promise.resolve('x'));
    unbind = bindSession({ accessToken: () => null, refresh, expired: vi.fn() });
    await expect(api.post('/api/auth/session/refresh', { auth: false })).rejects.toMatchObject({
      code: 'invalid_refresh_token',
    });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('retries 401s that arrive after a refresh with its token instead of refreshing again', async () => {
    let current = 'old';
    const refresh = vi.fn(() => {
      current = 'new';
      return Promise.resolve('new');
    });
    unbind = bindSession({ accessToken: () => current, refresh, expired: vi.fn() });
    const gates = [deferred<Response>(), deferred<Response>(), deferred<Response>()];
    const server = fakeApi({
      'GET /api/email-accounts': [...gates.map((gate) => () => gate.promise), json(200, [])],
    });
    const calls = [api.get('/api/email-accounts'), api.get('/api/email-accounts'), api.get('/api/email-accounts')];
    await vi.waitFor(() => expect(server.requests).toHaveLength(3));

    for (const gate of gates) {
      gate.resolve(json(401, { detail: 'Not authenticated' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    await expect(Promise.all(calls)).resolves.toEqual([[], [], []]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.requests.slice(3).map((r) => r.headers.get('Authorization'))).toEqual([
      'Bearer new',
      'Bearer new',
      'Bearer new',
    ]);
  });

  it('rejects a success that is not JSON with bad_response', async () => {
    fakeApi({
      'GET /api/email-accounts': new Response('<html>proxy</html>', {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
      }),
    });
    await expect(api.get('/api/email-accounts')).rejects.toMatchObject({ name: 'ApiError', code: 'bad_response' });
  });

  it('rejects a success whose JSON is broken with bad_response', async () => {
    fakeApi({
      'GET /api/email-accounts': new Response('[{', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    });
    await expect(api.get('/api/email-accounts')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('keeps the timeout when the caller passes a signal, and reports it as a timeout', async () => {
    const timer = new AbortController();
    vi.spyOn(AbortSignal, 'timeout').mockReturnValue(timer.signal);
    stubHangingFetch();
    const caller = new AbortController();
    const call = api.get('/api/email-accounts', { signal: caller.signal });

    timer.abort(new DOMException('timed out', 'TimeoutError'));

    await expect(call).rejects.toMatchObject({
      name: 'NetworkError',
      message: 'Gatehouse took too long to answer. Please try again.',
    });
  });

  it("reports the caller's abort as an abort", async () => {
    stubHangingFetch();
    const caller = new AbortController();
    const call = api.get('/api/email-accounts', { signal: caller.signal });

    caller.abort();

    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('turns a failed fetch into a NetworkError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(api.get('/api/email-accounts')).rejects.toBeInstanceOf(NetworkError);
  });

  it("exposes a 429's Retry-After seconds on the error", async () => {
    fakeApi({
      'POST /api/auth/session': new Response(
        JSON.stringify({ detail: 'Too many attempts. Try again in 30 seconds.', code: 'rate_limited' }),
        { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '30' } },
      ),
    });
    const error: unknown = await api
      .post('/api/auth/session', { form: { username: 'a@example.com', password: 'x' }, auth: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).retryAfter).toBe(30);
  });

  it('leaves retryAfter undefined when the header is garbage', async () => {
    fakeApi({
      'POST /api/auth/session': new Response(JSON.stringify({ detail: 'busy', code: 'busy' }), {
        status: 503,
        headers: { 'Content-Type': 'application/json', 'Retry-After': 'later' },
      }),
    });
    const error: unknown = await api
      .post('/api/auth/session', { form: { username: 'a@example.com', password: 'x' }, auth: false })
      .catch((e: unknown) => e);
    expect((error as ApiError).retryAfter).toBeUndefined();
  });
});

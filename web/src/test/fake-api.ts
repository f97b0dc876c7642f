import { vi } from 'vitest';

/** RecordedRequest is one call the code under test made. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, with its "?" ("" when none). */
  search: string;
  headers: Headers;
  body: string | null;
  credentials: RequestCredentials | undefined;
}

type Reply = Response | ((request: RecordedRequest) => Response | Promise<Response>);

/** json builds a JSON response, as the server sends it. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** noContent is a 204. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * fakeApi replaces fetch with a table of canned answers, keyed "METHOD /path". Each key holds a
 * queue: answers are used in order and the last one repeats. Unknown routes fail the test loudly.
 */
export function fakeApi(routes: Record<string, Reply | Reply[]> = {}) {
  const queues = new Map<string, Reply[]>(
    Object.entries(routes).map(([key, reply]) => [key, Array.isArray(reply) ? [...reply] : [reply]]),
  );
  const requests: RecordedRequest[] = [];

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
    const recorded: RecordedRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      search: url.search,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : null,
      credentials: init.credentials,
    };
    requests.push(recorded);
    const key = `${recorded.method} ${recorded.path}`;
    const queue = queues.get(key);
    if (queue === undefined || queue.length === 0) throw new Error(`fakeApi: no answer for ${key}`);
    const reply = queue.length > 1 ? queue.shift() : queue[0];
    if (reply === undefined) throw new Error(`fakeApi: no answer for ${key}`);
    const response = typeof reply === 'function' ? await reply(recorded) : reply.clone();
    return response;
  });
  vi.stubGlobal('fetch', fetchMock);

  return {
    requests,
    /** on sets (or replaces) the answers for a route. */
    on(key: string, reply: Reply | Reply[]) {
      queues.set(key, Array.isArray(reply) ? [...reply] : [reply]);
    },
    /** calls lists the requests made to a route. */
    calls(key: string) {
      return requests.filter((r) => `${r.method} ${r.path}` === key);
    },
  };
}

export const sampleUser = {
  id: '6f1c1c2e-4e43-4f5a-9d7a-0b4f1c1b2a3d',
  email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email_verified: false,
  email_verified_at: null,
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
};

export function token(access = 'access-1') {
  return json(200, { access_token: access, token_type: 'bearer', expires_in: 900 });
}

/** noSession is the refresh endpoint's answer to a browser without the cookie: 204, signed out. */
export const noSession = () => noContent();

/** rejectedSession is the refresh endpoint's answer to a cookie it no longer honours (expired, revoked). */
export const rejectedSession = () =>
  json(401, { detail: 'Refresh token is invalid or expired', code: 'invalid_refresh_token' });

/** rateLimited is a limited route's answer: 429 rate_limited with Retry-After, as the server sends it. */
export function rateLimited(seconds: number): Response {
  return new Response(
    JSON.stringify({ detail: `Too many attempts. Try again in ${seconds} seconds.`, code: 'rate_limited' }),
    { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': String(seconds) } },
  );
}

/** captchaOff is the challenge route's answer when the server runs with GATEHOUSE_CAPTCHA=off. */
export const captchaOff = () => json(404, { detail: 'Not Found', code: 'not_found' });

/** captchaAnswer is a route's refusal of a missing (captcha_required) or bad (captcha_invalid) solution. */
export function captchaAnswer(code: 'captcha_required' | 'captcha_invalid'): Response {
  return json(403, { detail: 'A CAPTCHA is required: get a challenge from /api/auth/captcha', code });
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, newPerson, test } from './fixtures';
import { startGatehouse, type Gatehouse } from './gatehouse-server';

// The article's own front end runs on another origin (Next.js on http://localhost:3000) and
// calls the API with fetch. With GATEHOUSE_ALLOWED_ORIGINS naming that origin, its calls work
// from a real browser: register with JSON, the token with a form body, /api/users/me with a
// bearer header. An origin not named is refused by the browser itself (no CORS headers), and
// the cookie endpoints stay same-site only.
//
// Two small local servers stand in for front ends, each serving an empty page in which the
// article's fetch calls run. The first is allowed under two names: http://localhost:PORT is
// another origin but the same site as the API's http://localhost:PORT (like the article's
// localhost:3000), and http://127.0.0.1:PORT is another site. The second is not allowed.

interface PageServer {
  port: number;
  server: Server;
}

async function servePage(): Promise<PageServer> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>The article front end</title><h1>Front end</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

let allowed: PageServer;
let refused: PageServer;
let gatehouse: Gatehouse;
const sameSite = () => `http://localhost:${allowed.port}`;
const otherSite = () => `http://127.0.0.1:${allowed.port}`;

test.beforeAll(async () => {
  allowed = await servePage();
  refused = await servePage();
  gatehouse = await startGatehouse({ GATEHOUSE_ALLOWED_ORIGINS: `${sameSite()},${otherSite()}` });
});

test.afterAll(async () => {
  await gatehouse.stop();
  allowed.server.close();
  refused.server.close();
});

interface Outcome {
  register: string;
  token: string;
  me: string;
  email?: string;
}

/** articleCalls makes the article's three calls from the page's origin; each is "status" or the error. */
function articleCalls(page: Page, api: string, person: { email: string; password: string }): Promise<Outcome> {
  return page.evaluate(
    async ({ api, email, password }) => {
      const outcome = (call: Promise<Response>) =>
        call.then(
          (r) => String(r.status),
          (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)),
        );
      // Layer 2 of the article: register with JSON…
      const register = await outcome(
        fetch(`${api}/api/auth/register`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, first_name: 'Ada', last_name: 'Lovelace', password }),
        }),
      );
      // …then the OAuth2 password flow with a form body…
      const form = new URLSearchParams();
      form.append('username', email);
      form.append('password', password);
      let accessToken = '';
      const token = await outcome(
        fetch(`${api}/api/auth/token`, { method: 'POST', body: form }).then(async (r) => {
          if (r.ok) accessToken = ((await r.json()) as { access_token: string }).access_token;
          return r;
        }),
      );
      // …and its api-client: JSON content type and the bearer token, which needs a preflight.
      let seenEmail: string | undefined;
      const me = await outcome(
        fetch(`${api}/api/users/me`, {
          method: 'GET',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken || 'none'}` },
        }).then(async (r) => {
          if (r.ok) seenEmail = ((await r.json()) as { email: string }).email;
          return r;
        }),
      );
      return { register, token, me, ...(seenEmail === undefined ? {} : { email: seenEmail }) };
    },
    { api, ...person },
  );
}

for (const [name, origin] of [
  ['the same site', sameSite],
  ['another site', otherSite],
] as const) {
  test(`the article's calls work from an allowed origin on ${name}`, async ({ page }) => {
    const person = newPerson();
    await page.goto(origin());

    const outcome = await articleCalls(page, gatehouse.url, person);

    expect(outcome).toEqual({ register: '201', token: '200', me: '200', email: person.email });
  });
}

test('an origin not allowed is refused by the browser', async ({ page, request }) => {
  const person = newPerson();
  await page.goto(`http://localhost:${refused.port}`);

  const outcome = await articleCalls(page, gatehouse.url, person);

  // Without CORS headers the browser hides every answer from the page: each fetch rejects.
  expect(outcome).toEqual({
    register: 'TypeError: Failed to fetch',
    token: 'TypeError: Failed to fetch',
    me: 'TypeError: Failed to fetch',
  });
  // The refused page learned nothing: the user it tried to create is not there to sign in as.
  const token = await request.post(`${gatehouse.url}/api/auth/token`, {
    form: { username: person.email, password: person.password },
  });
  expect(token.status()).toBe(401);
});

for (const [name, origin, refresh] of [
  ['works from an allowed origin on the same site', sameSite, 200],
  ['sees no cookie from an allowed origin on another site', otherSite, 204],
] as const) {
  test(`the browser session ${name}`, async ({ page, request }) => {
    const person = newPerson();
    const registered = await request.post(`${gatehouse.url}/api/auth/register`, {
      data: { email: person.email, first_name: 'Ada', last_name: 'Lovelace', password: person.password },
    });
    expect(registered.status()).toBe(201);
    await page.goto(origin());

    const statuses = await page.evaluate(
      async ({ api, email, password }) => {
        const signIn = await fetch(`${api}/api/auth/session`, {
          method: 'POST',
          credentials: 'include',
          body: new URLSearchParams({ username: email, password }),
        });
        const again = await fetch(`${api}/api/auth/session/refresh`, { method: 'POST', credentials: 'include' });
        return { signIn: signIn.status, refresh: again.status };
      },
      { api: gatehouse.url, ...person },
    );

    // The sign-in answers either way, but its SameSite=Strict cookie comes back only from the
    // same site; from another one the refresh sees no cookie (204: signed out), so a front end
    // on another site uses the bearer API (/api/auth/token) instead.
    expect(statuses).toEqual({ signIn: 200, refresh });
  });
}

import { expect, newPerson, registerThroughUi, signInThroughUi, test } from './fixtures';

test.describe('registration', () => {
  test('registering signs in and lands on /accounts; a reload stays signed in', async ({ page }) => {
    const person = newPerson('Grace');
    await registerThroughUi(page, person);
    await expect(page.getByRole('banner')).toContainText(`${person.firstName} ${person.lastName}`);

    await page.reload();
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(page.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeVisible();

    // Nothing but harmless preferences in web storage: the access token lives in memory.
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(stored).toEqual({ local: 0, session: 0 });
    const cookies = await page.context().cookies();
    expect(cookies.every((c) => c.httpOnly)).toBe(true);
  });

  test("a duplicate email shows the server's message under Email", async ({ page, browser, baseURL }) => {
    const person = newPerson();
    await registerThroughUi(page, person);

    const stranger = await browser.newContext({ baseURL });
    const other = await stranger.newPage();
    await other.goto('/auth/register');
    await other.getByLabel('Email', { exact: true }).fill(person.email.toUpperCase());
    await other.getByLabel('First name').fill('Someone');
    await other.getByLabel('Last name').fill('Else');
    await other.getByLabel('Password', { exact: true }).fill('marble-otter-canyon-31');
    await other.getByLabel('Confirm password').fill('marble-otter-canyon-31');
    await other.getByRole('button', { name: 'Create account' }).click();

    const email = other.getByLabel('Email', { exact: true });
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription('User with this email already exists.');
    await expect(email).toBeFocused();
    await expect(other).toHaveURL(/\/auth\/register$/);
    await stranger.close();
  });

  test('client-side errors block the request', async ({ page }) => {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/auth/register')) sent.push(request.url());
    });
    await page.goto('/auth/register');
    // The minimum is the server's policy's: wait until the form has it.
    await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('At least 8 characters.');
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('different');
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
    await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(/valid email address/);
    await expect(page.getByLabel('First name')).toHaveAccessibleDescription('Enter your first name.');
    await expect(page.getByLabel('Last name')).toHaveAccessibleDescription('Enter your last name.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
      'Use at least 8 characters.',
    );
    await expect(page.getByLabel('Confirm password')).toHaveAccessibleDescription("The passwords don't match.");
    expect(sent).toEqual([]);
  });
});

test.describe('signing in and out', () => {
  test('a wrong password shows an error', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/auth\/login$/);

    await signInThroughUi(page, { ...person, password: 'not-the-password' });

    await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
    await expect(page).toHaveURL(/\/auth\/login$/);
  });

  test('after signing out, /accounts sends you to sign-in', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/auth\/login$/);
    await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();

    await page.goto('/accounts');
    await expect(page).toHaveURL(/\/auth\/login\?next=%2Faccounts$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('signing out in one tab signs out the others', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);
    const second = await page.context().newPage();
    await second.goto(page.url());
    await expect(second.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await expect(second).toHaveURL(/\/auth\/login/);
  });

  test('?next= returns you to the page you asked for', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    await page.goto('/accounts?view=sessions');
    await expect(page).toHaveURL(/\/auth\/login\?next=%2Faccounts%3Fview%3Dsessions$/);
    await signInThroughUi(page, person);

    await expect(page).toHaveURL(/\/accounts\?view=sessions$/);
  });

  test('?next= refuses to leave the site', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    for (const evil of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
      await page.goto(`/auth/login?next=${encodeURIComponent(evil)}`);
      await signInThroughUi(page, person);
      await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/accounts$/);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page).toHaveURL(/\/auth\/login$/);
    }
  });

  test('a signed-in visitor to the auth pages goes to /accounts', async ({ page }) => {
    const person = newPerson();
    await registerThroughUi(page, person);
    await page.goto('/auth/login');
    await expect(page).toHaveURL(/\/accounts$/);
    await page.goto('/auth/register');
    await expect(page).toHaveURL(/\/accounts$/);
  });
});

import { expect, newPerson, registerThroughUi, signInThroughUi, test } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

async function addAccount(page: Page, email: string, provider: string, displayName = '') {
  const form = page.getByRole('form', { name: 'Connect an email account' });
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Provider').selectOption({ label: provider });
  await form.getByLabel('Display name').fill(displayName);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('list', { name: 'Connected email accounts' })).toContainText(email);
}

test('add, rename and remove an email account', async ({ page }) => {
  await registerThroughUi(page, newPerson());
  const card = page.getByRole('region', { name: 'Email accounts' });
  await expect(card).toContainText('No email accounts yet');

  await addAccount(page, 'ada@work.example', 'Outlook', 'Work');
  const list = page.getByRole('list', { name: 'Connected email accounts' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem')).toContainText('Work');
  await expect(list.getByRole('listitem')).toContainText('Outlook');

  await page.getByRole('button', { name: 'Rename ada@work.example' }).click();
  const name = page.getByLabel('Display name for ada@work.example');
  await expect(name).toBeFocused();
  await name.fill('Office');
  await name.press('Enter');
  await expect(list.getByRole('listitem')).toContainText('Office');

  // It survives a reload: the server has it.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Connected email accounts' }).getByRole('listitem')).toContainText(
    'Office',
  );

  await page.getByRole('button', { name: 'Remove ada@work.example' }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(card).toContainText('No email accounts yet');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Email accounts' })).toContainText('No email accounts yet');
});

test('a duplicate email account is refused under its field', async ({ page }) => {
  await registerThroughUi(page, newPerson());
  await addAccount(page, 'ada@gmail.example', 'Gmail');

  const form = page.getByRole('form', { name: 'Connect an email account' });
  await form.getByLabel('Email address').fill('ada@gmail.example');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.getByLabel('Email address')).toHaveAccessibleDescription(
    'This email account is already connected.',
  );
});

test("a second user never sees the first user's accounts", async ({ page, browser, baseURL, request }) => {
  const first = newPerson('First');
  await registerThroughUi(page, first);
  await addAccount(page, 'first@private.example', 'IMAP', 'Private');

  const otherContext = await browser.newContext({ baseURL });
  const other = await otherContext.newPage();
  const second = newPerson('Second');
  await registerThroughUi(other, second);
  await expect(other.getByRole('region', { name: 'Email accounts' })).toContainText('No email accounts yet');
  await expect(other.getByRole('main')).not.toContainText('first@private.example');

  // Nor through the API with the first account's id.
  const firstToken = await tokenFor(request, first.email, first.password);
  const firstAccounts = await request.get('/api/email-accounts', {
    headers: { Authorization: `Bearer ${firstToken}` },
  });
  const [account] = (await firstAccounts.json()) as { id: string }[];
  expect(account).toBeDefined();
  const secondToken = await tokenFor(request, second.email, second.password);
  const auth = { Authorization: `Bearer ${secondToken}` };
  const id = account?.id ?? '';
  expect(
    (await request.patch(`/api/email-accounts/${id}`, { headers: auth, data: { display_name: 'mine' } })).status(),
  ).toBe(404);
  expect((await request.delete(`/api/email-accounts/${id}`, { headers: auth })).status()).toBe(404);
  await otherContext.close();
});

async function tokenFor(request: APIRequestContext, email: string, password: string) {
  const response = await request.post('/api/auth/token', {
    form: { grant_type: 'password', username: email, password },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test("revoking all other sessions ends a second browser's session", async ({ page, browser, baseURL }) => {
  const person = newPerson();
  await registerThroughUi(page, person);

  const laptop = await browser.newContext({ baseURL });
  const laptopPage = await laptop.newPage();
  await signInThroughUi(laptopPage, person);
  await expect(laptopPage).toHaveURL(/\/accounts$/);

  await page.reload();
  const sessions = page.getByRole('list', { name: 'Signed-in devices' });
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await expect(sessions.getByRole('listitem').filter({ hasText: 'This device' })).toHaveCount(1);

  await page.getByRole('button', { name: 'Revoke all other sessions' }).click();
  await expect(sessions.getByRole('listitem')).toHaveCount(1);

  // The other browser's next request fails, its refresh fails, and it is sent to sign in.
  await laptopPage.reload();
  await expect(laptopPage).toHaveURL(/\/auth\/login\?next=%2Faccounts$/);
  // This browser is still signed in.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeVisible();
  await laptop.close();
});

test('revoking one session ends only that one', async ({ page, browser, baseURL }) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const phone = await browser.newContext({
    baseURL,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  const phonePage = await phone.newPage();
  await signInThroughUi(phonePage, person);
  await expect(phonePage).toHaveURL(/\/accounts$/);

  await page.reload();
  await page.getByRole('button', { name: /^Revoke Safari on iOS/ }).click();
  await expect(page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem')).toHaveCount(1);

  // The phone's next request is answered 401, and so is the refresh that follows it (its
  // session is gone), so the phone lands on sign-in.
  await phonePage
    .getByRole('form', { name: 'Connect an email account' })
    .getByLabel('Email address')
    .fill('x@y.example');
  await phonePage.getByRole('button', { name: 'Add account' }).click();
  await expect(phonePage).toHaveURL(/\/auth\/login/);
  await expect(phonePage.getByRole('status').filter({ hasText: 'Your session has ended' })).toBeVisible();
  await phone.close();
});

test('edit the profile', async ({ page }) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const profile = page.getByRole('region', { name: 'Profile' });
  await profile.getByRole('button', { name: 'Edit profile' }).click();
  await expect(profile.getByLabel('First name')).toBeFocused();
  await profile.getByLabel('First name').fill('Augusta');
  await profile.getByRole('button', { name: 'Save changes' }).click();

  await expect(profile.getByRole('status')).toHaveText('Your profile has been saved.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Augusta');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Augusta');
});

test('change the password', async ({ page }) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const card = page.getByRole('region', { name: 'Password' });

  await card.getByLabel('Current password').fill('wrong-password');
  await card.getByLabel('New password', { exact: true }).fill('tundra-pilgrim-saffron-7');
  await card.getByLabel('Confirm new password').fill('tundra-pilgrim-saffron-7');
  await card.getByRole('button', { name: 'Change password' }).click();
  await expect(card.getByLabel('Current password')).toHaveAccessibleDescription('Incorrect password.');

  await card.getByLabel('Current password').fill(person.password);
  await card.getByRole('button', { name: 'Change password' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signInThroughUi(page, person);
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await signInThroughUi(page, { ...person, password: 'tundra-pilgrim-saffron-7' });
  await expect(page).toHaveURL(/\/accounts$/);
});

test('delete the account', async ({ page }) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const card = page.getByRole('region', { name: 'Delete account' });

  await card.getByRole('button', { name: 'Delete account…' }).click();
  await expect(card.getByLabel('Password')).toBeFocused();
  await card.getByLabel('Password').fill(person.password);
  await card.getByRole('button', { name: 'Delete my account' }).click();
  // The explicit confirmation is required.
  await expect(card.getByRole('checkbox')).toBeFocused();
  await expect(page).toHaveURL(/\/accounts$/);

  await card.getByRole('checkbox').check();
  await card.getByRole('button', { name: 'Delete my account' }).click();

  await expect(page).toHaveURL(/\/auth\/login$/);
  await expect(page.getByRole('status').filter({ hasText: 'Your account has been deleted.' })).toBeVisible();
  await signInThroughUi(page, person);
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

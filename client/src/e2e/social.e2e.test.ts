import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, uniqueEmail } from './browser';

/** The stand-ins scripts/test-setup.js started for the browser tests' server (see scripts/social-stand-ins.js). */
const PROVIDERS = [
  { name: 'Google', url: () => process.env.E2E_GOOGLE_URL, account: () => ({ given_name: 'Gail' }) },
  {
    name: 'Microsoft',
    url: () => process.env.E2E_MICROSOFT_URL,
    account: () => ({ given_name: 'Mika', tid: 'e2e-tenant' }),
  },
  { name: 'GitHub', url: () => process.env.E2E_GITHUB_URL, account: () => ({}) },
] as const;

async function createPerson(provider: (typeof PROVIDERS)[number], login: string, email: string) {
  const url = provider.url();
  if (!url) throw new Error(`the ${provider.name} stand-in is not running: run the browser tests through the harness`);
  const account =
    provider.name === 'GitHub'
      ? { id: Math.floor(Math.random() * 1e9), name: 'Gita Hub', emails: [{ email, primary: true, verified: true }] }
      : { sub: `sub-${login}`, email, family_name: 'Social', ...provider.account() };
  const response = await fetch(`${url}/test/accounts/${login}`, { method: 'PUT', body: JSON.stringify(account) });
  expect(response.status).toBe(204);
}

/** From the sign-in page through the stand-in's login form, back to Gatehouse. */
async function continueWith(page: Page, providerName: string, login: string) {
  await page.goto('/signin');
  await page.getByRole('link', { name: `Continue with ${providerName}` }).click();
  await page.getByLabel('Username').fill(login);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('social sign-in', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(PROVIDERS)('a new person signs up with $name, then signs in with it again', async (provider) => {
    const login = `${provider.name.toLowerCase()}${Date.now().toString(36)}`;
    const email = uniqueEmail(login);
    await createPerson(provider, login, email);

    const page = await newPage(browser);
    await continueWith(page, provider.name, login);
    await page.getByText(`You signed in with ${provider.name} as ${email}`, { exact: false }).waitFor();
    await page.getByLabel('Last name').fill('Social');
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Organization name').fill(`${provider.name} Crew`);
    await screenshot(page, `social-sign-up-${provider.name.toLowerCase()}`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/settings/**');

    await page.getByRole('link', { name: 'Profile' }).click();
    const methods = page.getByRole('table', { name: 'Connected sign-in methods' });
    await methods.getByText(email).waitFor();
    await page.getByText(`You sign in with ${provider.name}`, { exact: false }).waitFor();
    expect(await page.getByRole('heading', { name: 'Change password' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Two-factor authentication' }).count()).toBe(0);
    await screenshot(page, `social-profile-${provider.name.toLowerCase()}`);

    const again = await newPage(browser);
    await continueWith(again, provider.name, login);
    await again.waitForURL('**/settings/**');
    await again.getByRole('banner').getByText('Sam Social').waitFor();
  });

  test('the sign-in page shows every enabled provider', async () => {
    const page = await newPage(browser);
    await page.goto('/signin');
    for (const provider of PROVIDERS) {
      await page.getByRole('link', { name: `Continue with ${provider.name}` }).waitFor();
    }
    await screenshot(page, 'social-sign-in-page');
  });
});

// Helpers for the browser tests: a headless Chromium, pages on the app under test, screenshots.
// The app is started by the test harness (scripts/test-setup.js), which sets E2E_BASE_URL.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { publishTxt } from '../../../server/src/test/dns-server';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

// An uncaught error in the page fails the test that was running, whatever that test asserts.
const pageErrors: Error[] = [];
afterEach(() => {
  const errors = pageErrors.splice(0);
  if (errors.length > 0) {
    throw new Error(`Uncaught error in the page:\n${errors.map((error) => error.stack ?? error.message).join('\n')}`);
  }
});

const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', 'test-results', 'screenshots');

/** The app's URL; a missing one fails the test rather than letting it pass without a browser. */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) {
    throw new Error(
      'E2E_BASE_URL is not set. Run the browser tests through the harness (`pnpm test`), or start a built ' +
        'server (`PORT=4000 node server/dist/main.js`) and set E2E_BASE_URL=http://localhost:4000.',
    );
  }
  return url.replace(/\/$/, '');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page in a fresh context (its own cookies and storage), so each test starts signed out. */
export async function newPage(browser: Browser, { colorScheme = 'light' as 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1280, height: 860 },
    colorScheme,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  return page;
}

/**
 * The Content Security Policy refusals the page reports from now on (Chromium logs each as a
 * console error): a test that expects none shows the SPA works under the server's policy.
 */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** An address no other run or test has used. */
export function uniqueEmail(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Saves test-results/screenshots/<name>.png: the whole page, or just one element of it. */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  if ('goto' in target) {
    // From the top, or the sticky header is drawn in the middle of the full-page image.
    await target.evaluate(() => window.scrollTo(0, 0));
    await target.screenshot({ path: file, fullPage: true });
  } else {
    await target.screenshot({ path: file });
  }
}

export interface Account {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  organizationName: string;
}

export function newAccount(overrides: Partial<Account> = {}): Account {
  return {
    email: uniqueEmail(),
    password: 'Tide-Lantern-42!',
    firstName: 'Grace',
    lastName: 'Hopper',
    organizationName: 'Harbor Labs',
    ...overrides,
  };
}

/** Fills in the sign-up form (the page must be on /signup) and waits for the settings to open. */
export async function fillSignUp(page: Page, account: Account): Promise<void> {
  await page.getByLabel('First name').fill(account.firstName);
  await page.getByLabel('Last name').fill(account.lastName);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Organization name').fill(account.organizationName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/settings/**');
}

/** Signs a new account up, the usual start of a settings-tab test. */
export async function signUp(page: Page, account: Account = newAccount()): Promise<Account> {
  await page.goto('/signup');
  await fillSignUp(page, account);
  return account;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/settings/**');
}

/**
 * In the Security tab (the page must show it): adds a domain, publishes the TXT record the page
 * shows on the test run's DNS server, clicks "Verify now" and waits for Verified.
 */
export async function verifyDomain(page: Page, domain: string, beforeVerifying?: () => Promise<void>): Promise<void> {
  const section = page.getByRole('region', { name: 'Domains' });
  await section.getByLabel('Domain', { exact: true }).fill(domain);
  await section.getByRole('button', { name: 'Add domain' }).click();
  const record = section.getByLabel(`DNS record for ${domain}`);
  await record.waitFor();
  const [name, value] = await record.locator('code').allTextContents();
  await beforeVerifying?.();
  publishTxt(name, value);
  await domainAction(page, domain, 'Verify now');
  await section.getByRole('row').filter({ hasText: domain }).getByText('Verified', { exact: true }).waitFor();
}

/** Chooses an action from a domain's row menu in the Security tab. */
export async function domainAction(page: Page, domain: string, action: string): Promise<void> {
  await page
    .getByRole('region', { name: 'Domains' })
    .getByRole('button', { name: `Actions for ${domain}` })
    .click();
  await page.getByRole('menu').getByRole('menuitem', { name: action }).click();
}

// Evaluated rather than added as a <script>, so the app's Content-Security-Policy cannot block it.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical axe-core violations on the page, or in the open modal dialog. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const { violations } = await axe.run(document.querySelector('dialog[open]') ?? document);
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target).join(', ')}`,
      );
  });
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Why the page is wider than the window (its widest elements), or null when it does not scroll sideways. */
export function horizontalOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow <= 0) return null;
    const culprits = [...document.body.querySelectorAll<HTMLElement>('*')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
      .slice(-3)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
    return `the page scrolls ${overflow} px sideways (${culprits.join(', ')})`;
  });
}

interface OutboxEntry {
  to: string;
  subject: string;
  text: string;
}

/** The invitation link from the newest email to `email` in the dev outbox, waiting for it to be queued. */
export async function invitationLink(email: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const response = await fetch(`${baseUrl()}/dev/outbox?to=${encodeURIComponent(email)}`);
    const [entry] = (await response.json()) as OutboxEntry[];
    const link = entry?.text.match(/https?:\/\/\S+\/accept-invitation\?token=[^\s)]+/)?.[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no invitation email reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The Admin invites `email` with a role from Users; the invitee accepts in `member` and lands in Settings. */
export async function inviteAndJoin(
  admin: Page,
  member: Page,
  person: { email: string; role: string; firstName: string; lastName: string },
): Promise<void> {
  await openTab(admin, 'Users', 'Users');
  await admin.getByRole('button', { name: 'Invite users' }).click();
  const invite = admin.getByRole('dialog', { name: 'Invite users' });
  await invite.getByLabel('Email addresses').fill(person.email);
  await invite.getByLabel('Role').selectOption({ label: person.role });
  await invite.getByRole('button', { name: 'Send invitations' }).click();
  await invite.waitFor({ state: 'detached' });
  await member.goto(await invitationLink(person.email));
  await member.getByLabel('First name').fill(person.firstName);
  await member.getByLabel('Last name').fill(person.lastName);
  await member.getByLabel('Password', { exact: true }).fill('Quiet-Harbor-Lamp-7');
  await member.getByRole('button', { name: 'Create account and join' }).click();
  await member.waitForURL('**/settings/**');
}

export async function tabLabels(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Settings' }).getByRole('link').allTextContents();
}

export async function openTab(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

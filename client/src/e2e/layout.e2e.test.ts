// Every tab on a phone and on a desktop, light and dark: no sideways page scroll, no serious
// accessibility problems (axe-core), and a screenshot of each to look at.
import type { Browser, Page } from 'playwright-core';
import { SETTINGS_TABS } from '../settings/tabs';
import { axeViolations, horizontalOverflow, launchBrowser, newPage, screenshot, signUp, uniqueEmail } from './browser';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 860 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** Waits until the tab is shown (its title set) and has drawn what it loads: no spinner left. */
async function settled(page: Page, label: string): Promise<void> {
  await page.waitForFunction(
    (title) =>
      document.title === title && document.querySelector('.page') && !document.querySelector('.page-loading, .spinner'),
    `${label} · Settings · Gatehouse`,
  );
}

async function graphql(page: Page, query: string, variables: Record<string, unknown> = {}) {
  const result = await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  );
  expect(result.errors).toBeUndefined();
  return result.data;
}

/** Rows in every list, so the tables (and their phone layout) are what gets drawn. */
async function seed(page: Page): Promise<void> {
  const { roles } = await graphql(page, '{ roles { id name } }');
  const member = roles.find((role: { name: string }) => role.name === 'Member') ?? roles[0];
  await graphql(page, 'mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }', {
    i: { name: 'Platform engineering', description: 'Builds and runs the internal platform' },
  });
  await graphql(page, 'mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }', {
    i: { name: 'Production', description: 'Customer-facing services' },
  });
  await graphql(
    page,
    'mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { apiKey { id } } }',
    {
      i: { name: 'Deploy bot', description: 'Ships releases', roleId: member.id },
    },
  );
  await graphql(page, 'mutation($i: InviteMembersInput!) { inviteMembers(input: $i) { id } }', {
    i: { invitations: [{ email: uniqueEmail('invitee'), roleId: member.id }] },
  });
  // An open access review, so the Access requests tab shows its grants table.
  await graphql(page, 'mutation { startAccessReview { id } }');
}

describe('layout and accessibility of every tab', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    await signUp(page);
    await seed(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an empty list says what the thing is and offers the first action', async () => {
    const fresh = await newPage(browser);
    await signUp(fresh);
    await fresh.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Groups' }).click();
    const empty = fresh.locator('.empty-state');
    await empty.getByText('No groups yet. A group gives its members workspace roles together').waitFor();
    await empty.getByRole('button', { name: 'Create the first group' }).click();
    await fresh.getByRole('dialog', { name: 'New group' }).waitFor();
    await fresh.context().close();
  });

  test('an IPv4 client seen through an IPv6 socket is shown as plain IPv4', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Profile' }).click();
    await settled(page, 'Profile');
    // The test server listens on IPv6-capable sockets, so the browser's 127.0.0.1 arrives as ::ffff:127.0.0.1.
    expect(await page.locator('td[data-column="ip"]').first().textContent()).toBe('127.0.0.1');
  });

  for (const theme of THEMES) {
    for (const viewport of VIEWPORTS) {
      test(`the sign-in pages fit a ${viewport.width} px window in the ${theme} theme and pass axe`, async () => {
        const signedOut = await newPage(browser, { colorScheme: theme });
        await signedOut.setViewportSize({ width: viewport.width, height: viewport.height });
        const problems: string[] = [];
        for (const path of ['signin', 'signup', 'forgot-password', 'reset-password?token=not-a-token']) {
          await signedOut.goto(`/${path}`);
          await signedOut.locator('.auth-card h1').waitFor();
          const name = `auth-${path.split('?')[0]}-${viewport.name}-${theme}`;
          const overflow = await horizontalOverflow(signedOut);
          if (overflow) problems.push(`${name}: ${overflow}`);
          problems.push(...(await axeViolations(signedOut)).map((violation) => `${name}: ${violation}`));
          await screenshot(signedOut, name);
        }
        await signedOut.context().close();
        expect(problems).toEqual([]);
      });

      test(`every tab fits a ${viewport.width} px window in the ${theme} theme and passes axe`, async () => {
        await page.emulateMedia({ colorScheme: theme });
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        // Collected over all tabs, so one run names every problem.
        const problems: string[] = [];
        for (const tab of SETTINGS_TABS) {
          await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: tab.label }).click();
          await page.waitForURL(`**/settings/${tab.path}`);
          await settled(page, tab.label);
          const name = `layout-${tab.path}-${viewport.name}-${theme}`;
          const overflow = await horizontalOverflow(page);
          if (overflow) problems.push(`${name}: ${overflow}`);
          // On a desktop the audit table shows every column without scrolling inside its card.
          if (tab.path === 'audit-logs' && viewport.name === 'desktop') {
            const hidden = await page
              .locator('.data-table-wrap')
              .evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
            if (hidden > 0) problems.push(`${name}: the audit table hides ${hidden} px of its columns`);
          }
          problems.push(...(await axeViolations(page)).map((violation) => `${name}: ${violation}`));
          await screenshot(page, name);
        }
        expect(problems).toEqual([]);
      }, 120_000);
    }
  }

  // Light on a desktop and dark on a phone: both themes and both sizes, at half the cost.
  for (const [theme, viewport] of [
    ['light', VIEWPORTS[1]],
    ['dark', VIEWPORTS[0]],
  ] as const) {
    test(`every dialog passes axe in the ${theme} theme at ${viewport.width} px`, async () => {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const problems: string[] = [];
      const check = async (tab: string, open: () => Promise<void>, name: string) => {
        await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: tab }).click();
        await settled(page, tab);
        await open();
        const dialog = page.locator('dialog[open]');
        await dialog.waitFor();
        await page.waitForFunction(() => !document.querySelector('dialog[open] .spinner'));
        const shot = `dialog-${name}-${viewport.name}-${theme}`;
        const overflow = await horizontalOverflow(page);
        if (overflow) problems.push(`${shot}: ${overflow}`);
        problems.push(...(await axeViolations(page)).map((violation) => `${shot}: ${violation}`));
        await screenshot(dialog, shot);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
      };
      const button = (name: string) => () => page.getByRole('button', { name, exact: true }).click();

      await check('API Keys', button('New API Key'), 'new-api-key');
      await check('Users', button('Invite users'), 'invite');
      await check(
        'Users',
        async () => {
          await page.getByText('Service accounts', { exact: true }).click();
          await page.getByRole('button', { name: 'Actions for Deploy bot' }).click();
          await page.getByRole('menuitem', { name: 'Manage keys' }).click();
        },
        'manage-keys',
      );
      await check(
        'Users',
        async () => {
          await page.getByText('Service accounts', { exact: true }).click();
          await button('New service account')();
        },
        'new-service-account',
      );
      await check(
        'Users',
        () =>
          page
            .getByRole('button', { name: /^Why\? Permissions of/ })
            .first()
            .click(),
        'why',
      );
      await check('Access requests', button('Request access'), 'request-access');
      await check('Groups', button('New group'), 'new-group');
      await check('Roles', button('New role'), 'new-role');
      await check('Workspaces', button('New workspace'), 'new-workspace');
      await check('Security', button('Add identity provider'), 'identity-provider');
      await check('Security', button('New SCIM token'), 'new-scim-token');
      await check(
        'Audit Logs',
        () => page.getByRole('table', { name: 'Audit events' }).locator('tbody tr').first().getByRole('button').click(),
        'audit-event',
      );
      expect(problems).toEqual([]);
    }, 120_000);
  }
});

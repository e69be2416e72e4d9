import type { Browser, Page } from 'playwright-core';
import {
  inviteAndJoin,
  launchBrowser,
  openTab,
  tabLabels,
  newAccount,
  newPage,
  screenshot,
  signUp,
  uniqueEmail,
} from './browser';

describe('just-in-time access', () => {
  let browser: Browser;
  let admin: Page;
  let member: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newPage(browser);
    member = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a member asks for Builder, an Admin approves in another browser, the member uses it, and it ends', async () => {
    await signUp(admin, newAccount({ organizationName: 'Night Shift' }));
    const email = uniqueEmail('jit');
    await inviteAndJoin(admin, member, { email, role: 'Consumer', firstName: 'Grace', lastName: 'Hopper' });
    expect(await tabLabels(member)).not.toContain('Roles');

    // The member asks for the Builder role for an hour.
    await openTab(member, 'Access requests', 'Access requests');
    await member.getByRole('button', { name: 'Request access' }).click();
    const ask = member.getByRole('dialog', { name: 'Request access' });
    await ask.getByLabel('Role').selectOption({ label: 'Builder' });
    await ask.getByLabel('For').selectOption({ label: '1 hour' });
    await ask.getByLabel('Reason').fill('Set up the release workspace');
    await ask.getByRole('button', { name: 'Send request' }).click();
    await ask.waitFor({ state: 'detached' });
    const mine = member.getByRole('table', { name: 'Access requests' }).locator('tbody tr').first();
    await mine.getByText('pending').waitFor();

    // The Admin, in another browser, approves it.
    await openTab(admin, 'Access requests', 'Access requests');
    await admin.getByRole('button', { name: 'Decide the request of Grace Hopper' }).click();
    await admin.getByRole('menuitem', { name: 'Approve' }).click();
    const approve = admin.getByRole('dialog', { name: /^Approve Builder for Grace Hopper/ });
    await approve.getByLabel('Comment').fill('Go ahead');
    await screenshot(approve, 'jit-approve');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await approve.waitFor({ state: 'detached' });
    await admin.getByRole('table', { name: 'Access requests' }).getByText('approved').waitFor();

    // The member now acts as a Builder: creates a workspace, which a Consumer cannot.
    await member.reload();
    await member.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Roles' }).waitFor();
    await openTab(member, 'Workspaces', 'Workspaces');
    await member.getByRole('button', { name: 'New workspace' }).click();
    const newWorkspace = member.getByRole('dialog', { name: 'New workspace' });
    await newWorkspace.getByLabel('Name').fill('Release');
    await newWorkspace.getByRole('button', { name: /Create/ }).click();
    await newWorkspace.waitFor({ state: 'detached' });
    await member.getByText('Release', { exact: true }).first().waitFor();

    // The Admin sees "Builder until …, then Consumer", asks why, and ends it now.
    await openTab(admin, 'Users', 'Users');
    await admin.reload();
    const row = admin.getByRole('table', { name: 'Users' }).locator('tbody tr', { hasText: email });
    await row.getByText(/until .*, then Consumer/).waitFor();
    await row.getByRole('button', { name: 'Why? Permissions of Grace Hopper' }).click();
    const why = admin.getByRole('dialog', { name: 'Why can Grace Hopper?' });
    await why.getByLabel('Permission').selectOption('workspaces:create');
    await why.getByText('The Builder tenant role includes workspaces:create.').waitFor();
    await why.getByText(/Until /).waitFor();
    await screenshot(why, 'jit-why');
    await why.getByRole('button', { name: 'Close' }).click();
    await row.getByRole('button', { name: `Actions for ${email}` }).click();
    await admin.getByRole('menuitem', { name: 'End Builder now' }).click();
    await row.getByText('Consumer', { exact: true }).waitFor();

    // The elevated role is gone for the member.
    await member.reload();
    await member.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Profile' }).waitFor();
    expect(await tabLabels(member)).not.toContain('Roles');
  });
});

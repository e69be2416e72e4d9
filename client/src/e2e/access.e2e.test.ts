import type { Browser, Page } from 'playwright-core';
import {
  invitationLink,
  launchBrowser,
  openTab,
  tabLabels,
  newAccount,
  newPage,
  screenshot,
  signUp,
  uniqueEmail,
} from './browser';

describe('Access tabs', () => {
  let browser: Browser;
  let admin: Page;
  let member: Page;
  const invitee = { email: uniqueEmail('invitee'), firstName: 'Ada', lastName: 'Lovelace' };

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newPage(browser);
    member = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an admin invites a colleague, who accepts in another browser and sees what a Consumer may', async () => {
    await signUp(admin, newAccount({ organizationName: 'Harbor Labs' }));
    await openTab(admin, 'Users', 'Users');
    await admin.getByRole('button', { name: 'Invite users' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Invite users' });
    // A typo among several addresses is named at the field, which gets the focus back.
    await dialog.getByLabel('Email addresses').fill(`${invitee.email}, ada.example.com`);
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.getByText('“ada.example.com” is not an email address.').waitFor();
    expect(await dialog.getByLabel('Email addresses').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Email addresses').evaluate((input) => input === document.activeElement)).toBe(true);
    await dialog.getByLabel('Email addresses').fill(invitee.email);
    await dialog.getByLabel('Role').selectOption({ label: 'Consumer' });
    await screenshot(dialog, 'access-invite-dialog');
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.getByRole('status').getByText(`An invitation was sent to ${invitee.email}.`).waitFor();
    const row = admin.getByRole('table', { name: 'Users' }).locator('tbody tr', { hasText: invitee.email });
    await row.getByText('Invited', { exact: true }).waitFor();
    await screenshot(admin, 'access-users');

    await member.goto(await invitationLink(invitee.email));
    await member.getByRole('heading', { name: 'Join Harbor Labs' }).waitFor();
    expect(await member.getByLabel('Email').inputValue()).toBe(invitee.email);
    await member.getByLabel('First name').fill(invitee.firstName);
    await member.getByLabel('Last name').fill(invitee.lastName);
    await member.getByLabel('Password', { exact: true }).fill('short');
    await member.getByRole('button', { name: 'Create account and join' }).click();
    await member.getByText('Choose a password that meets every requirement.').waitFor();
    await member.getByLabel('Password', { exact: true }).fill('Quiet-Harbor-Lamp-7');
    await screenshot(member, 'access-accept-invitation');
    await member.getByRole('button', { name: 'Create account and join' }).click();
    await member.waitForURL('**/settings/**');

    expect(await tabLabels(member)).toEqual([
      'Profile',
      'API Keys',
      'Users',
      'Access requests',
      'Groups',
      'Workspaces',
    ]);
    await openTab(member, 'Users', 'Users');
    const memberRow = member.getByRole('table', { name: 'Users' }).locator('tbody tr', { hasText: invitee.email });
    await memberRow.getByText('Active', { exact: true }).waitFor();
    expect(await member.getByRole('button', { name: 'Invite users' }).count()).toBe(0);
    expect(await member.getByRole('button', { name: /^Actions for / }).count()).toBe(0);

    await admin.reload();
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('Consumer', { exact: true }).waitFor();

    // The link is single-use: opening it again says so instead of failing.
    const reused = await newPage(browser);
    await reused.goto(await invitationLink(invitee.email));
    await reused.getByRole('heading', { name: 'Invitation already used' }).waitFor();
    await reused.context().close();
  });

  test('a group gives its members a workspace role; a custom role is made from the catalogue', async () => {
    await openTab(admin, 'Groups', 'Groups');
    await admin.getByRole('button', { name: 'New group' }).click();
    const newGroup = admin.getByRole('dialog', { name: 'New group' });
    await newGroup.getByLabel('Name').fill('Platform');
    await newGroup.getByLabel('Description').fill('Runs the data platform');
    await newGroup.getByRole('button', { name: 'Create group' }).click();
    await newGroup.waitFor({ state: 'detached' });
    await admin.getByRole('button', { name: /members? of Platform/ }).click();
    const groupMembers = admin.getByRole('dialog', { name: 'Members of Platform' });
    await groupMembers.getByLabel('Member').selectOption({ label: `Ada Lovelace (${invitee.email})` });
    await groupMembers.getByRole('button', { name: 'Add to group' }).click();
    await groupMembers.getByRole('table').getByText(invitee.email).waitFor();
    await screenshot(groupMembers, 'access-group-members');
    await groupMembers.getByRole('button', { name: 'Close' }).click();
    await admin
      .getByRole('button', { name: /members? of Platform/ })
      .getByText('1 member')
      .waitFor();

    await openTab(admin, 'Workspaces', 'Workspaces');
    await admin.getByRole('button', { name: 'New workspace' }).click();
    const newWorkspace = admin.getByRole('dialog', { name: 'New workspace' });
    await newWorkspace.getByLabel('Name').fill('Data lake');
    await newWorkspace.getByRole('button', { name: 'Create workspace' }).click();
    await newWorkspace.waitFor({ state: 'detached' });
    await admin.getByRole('button', { name: /members? of Data lake/ }).click();
    const workspaceMembers = admin.getByRole('dialog', { name: 'Members of Data lake' });
    await workspaceMembers.getByLabel('Member').selectOption({ label: 'Platform (group)' });
    await workspaceMembers.getByLabel('Role', { exact: true }).selectOption({ label: 'Contributor' });
    await workspaceMembers.getByRole('button', { name: 'Add', exact: true }).click();
    const effective = workspaceMembers.getByRole('table', { name: 'Effective access' });
    const adaRow = effective.locator('tbody tr', { hasText: invitee.email });
    await adaRow.getByText('Contributor via Platform').waitFor();
    expect(await adaRow.locator('[data-column="role"]').textContent()).toBe('Contributor');
    await screenshot(workspaceMembers, 'access-workspace-members');
    await workspaceMembers.getByRole('button', { name: 'Close' }).click();

    // The member sees the workspace now, through the group, and cannot manage it.
    await openTab(member, 'Workspaces', 'Workspaces');
    const workspaceRow = member
      .getByRole('table', { name: 'Workspaces' })
      .locator('tbody tr', { hasText: 'Data lake' });
    await workspaceRow.waitFor();
    expect(await member.getByRole('button', { name: 'New workspace' }).count()).toBe(0);

    await openTab(admin, 'Roles', 'Roles');
    await admin.getByRole('button', { name: 'New role' }).click();
    const roleDialog = admin.getByRole('dialog', { name: 'New role' });
    await roleDialog.getByLabel('Name').fill('Auditor');
    await roleDialog.getByRole('button', { name: 'Create role' }).click();
    await roleDialog.getByText('Choose at least one permission.').waitFor();
    await roleDialog.getByRole('checkbox', { name: /members:read/ }).check();
    await roleDialog.getByRole('checkbox', { name: /roles:read/ }).check();
    await screenshot(roleDialog, 'access-new-role');
    await roleDialog.getByRole('button', { name: 'Create role' }).click();
    await roleDialog.waitFor({ state: 'detached' });
    const roleRow = admin.getByRole('table', { name: 'Roles' }).locator('tbody tr', { hasText: 'Auditor' });
    await roleRow.getByText('Custom').waitFor();
    await roleRow.getByText('2 permissions').waitFor();
    // One list model: the row menu offers what is possible; built-in roles have nothing to offer.
    await roleRow.getByRole('button', { name: 'Actions for Auditor' }).click();
    const roleMenu = admin.getByRole('menu', { name: 'Actions for Auditor' });
    expect(await roleMenu.getByRole('menuitem').allTextContents()).toEqual(['Edit', 'Delete']);
    await admin.keyboard.press('Escape');
    const builtIn = admin.getByRole('table', { name: 'Roles' }).locator('tbody tr', { hasText: 'Consumer' });
    await builtIn.getByText('Built-in', { exact: true }).first().waitFor();
    expect(await builtIn.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    await screenshot(admin, 'access-roles');
  });
});

import { SecretBox } from '../auth/secret-box';
import {
  CREATE_IDENTITY_PROVIDER,
  UPDATE_IDENTITY_PROVIDER,
  addMember,
  createGroup,
  identityProviderInput,
  unique,
  uniqueDomain,
  verifiedDomain,
} from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { type SignedUp, type TestApp, errorCode, signUp, startTestApp } from '../test/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const DELETE = 'mutation($id: ID!) { deleteIdentityProvider(id: $id) }';

async function create(admin: SignedUp, overrides: Record<string, unknown> = {}) {
  return (await admin.client.ok(CREATE_IDENTITY_PROVIDER, { input: identityProviderInput(overrides) }))
    .createIdentityProvider;
}

async function storedProviders(organizationId: string) {
  return app.db.query(
    `SELECT p.*, (SELECT count(*)::int FROM identity_provider_mappings m WHERE m.identity_provider_id = p.id) AS mappings
       FROM identity_providers p WHERE organization_id = $1 ORDER BY created_at`,
    [organizationId],
  );
}

/** Marks the person as someone who signs in through the provider, with these groups from their last sign-in. */
async function linkIdentity(provider: string, person: SignedUp, groups: string[]) {
  await app.db.query(
    'INSERT INTO user_identities (identity_provider_id, subject, user_id, groups) VALUES ($1, $2, $3, $4)',
    [provider, `sub-${person.userId}`, person.userId, groups],
  );
}

describe('identity providers', () => {
  it('saves a provider with its mappings, keeps the client secret sealed and never shows it', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client);
    const domain = uniqueDomain();
    await verifiedDomain(admin.client, domain);
    const provider = await create(admin, {
      name: 'Okta',
      issuer: 'https://login.example.test/oauth2',
      emailDomains: [domain.toUpperCase()],
      groupMappings: [
        { idpGroup: 'engineering', roleId: 'builder', groupId },
        { idpGroup: 'it-admins', roleId: 'admin' },
      ],
    });
    expect(provider).toEqual({
      id: expect.any(String),
      name: 'Okta',
      issuer: 'https://login.example.test/oauth2',
      clientId: 'gatehouse',
      groupsClaim: 'groups',
      emailDomains: [domain],
      enabled: true,
      redirectUri: `${app.config.publicUrl}/api/sso/callback`,
      signInUrl: `${app.config.publicUrl}/api/sso/start?provider=${provider.id}`,
      groupMappings: [
        { idpGroup: 'engineering', role: { id: 'builder' }, group: { id: groupId } },
        { idpGroup: 'it-admins', role: { id: 'admin' }, group: null },
      ],
    });
    const { identityProviders } = await admin.client.ok('{ identityProviders { id name } }');
    expect(identityProviders).toEqual([{ id: provider.id, name: 'Okta' }]);

    const [stored] = await storedProviders(admin.organizationId);
    expect(stored.client_secret_sealed).not.toContain('client-secret-value');
    expect(SecretBox.fromConfig(app.config).open(stored.client_secret_sealed)).toBe('client-secret-value');

    const event = await expectAuditEvent(app.db, {
      mutation: 'createIdentityProvider',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'identityProvider.created',
      actorId: admin.userId,
      targetId: provider.id,
    });
    expect(JSON.stringify(event.changes)).not.toContain('client-secret-value');
    expect(event.changes.clientSecret).toEqual({ before: null, after: 'replaced' });
    expect(event.changes.groupMappings.after).toContain('it-admins → Admin');
  });

  it.each([
    ['name', { name: '' }],
    ['issuer', { issuer: 'not a url' }],
    ['issuer', { issuer: 'http://login.example.test' }],
    ['clientId', { clientId: '' }],
    ['clientSecret', { clientSecret: null }],
    ['groupsClaim', { groupsClaim: 'my groups' }],
    ['emailDomains', { emailDomains: ['not a domain'] }],
    ['groupMappings', { groupMappings: [] }],
    ['groupMappings', { groupMappings: [{ idpGroup: 'staff', roleId: 'consumer' }] }],
    [
      'roleId',
      {
        groupMappings: [
          { idpGroup: 'x', roleId: 'viewer' },
          { idpGroup: 'y', roleId: 'admin' },
        ],
      },
    ],
  ])('refuses a bad %s with BAD_USER_INPUT and saves nothing (%j)', async (field, overrides) => {
    const admin = await signUp(app);
    const result = await admin.client.request(CREATE_IDENTITY_PROVIDER, { input: identityProviderInput(overrides) });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toEqual(expect.stringContaining(field));
    expect(await storedProviders(admin.organizationId)).toEqual([]);
  });

  it.each([
    'http://127.0.0.1:8080/realms/dev',
    'https://10.0.0.1',
    'https://169.254.169.254/latest',
    'https://[::1]:8443',
    'https://[::ffff:127.0.0.1]',
    'https://100.64.0.1',
    'https://[fd00:ec2::254]',
    'https://0.0.0.0',
    'https://localhost:8443',
  ])('refuses an issuer on the private network (%s) on create and update, and saves nothing', async (issuer) => {
    const admin = await signUp(app);
    const result = await admin.client.request(CREATE_IDENTITY_PROVIDER, { input: identityProviderInput({ issuer }) });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('issuer');
    // The network rule, not the URL syntax check, refused it.
    expect(result.errors![0].message).toMatch(/private networks/);
    expect(await storedProviders(admin.organizationId)).toEqual([]);
    const provider = await create(admin);
    const update = await admin.client.request(UPDATE_IDENTITY_PROVIDER, {
      id: provider.id,
      input: identityProviderInput({ issuer, clientSecret: null }),
    });
    expect(errorCode(update)).toBe('BAD_USER_INPUT');
    expect(update.errors![0].extensions!.field).toBe('issuer');
    expect((await storedProviders(admin.organizationId)).map((p: { issuer: string }) => p.issuer)).toEqual([
      provider.issuer,
    ]);
  });

  it('with ALLOW_PRIVATE_NETWORK, accepts an on-premises issuer (plain HTTP included) but never a metadata address', async () => {
    const onPremises = await startTestApp({ allowPrivateNetwork: true });
    try {
      const admin = await signUp(onPremises);
      for (const issuer of ['http://127.0.0.1:8080/realms/dev', 'https://10.0.0.1', 'http://localhost:8080']) {
        const { createIdentityProvider } = await admin.client.ok(CREATE_IDENTITY_PROVIDER, {
          input: identityProviderInput({ issuer, name: issuer, emailDomains: [] }),
        });
        expect(createIdentityProvider.issuer).toBe(issuer);
      }
      for (const issuer of ['https://169.254.169.254', 'https://[fd00:ec2::254]', 'http://login.example.test']) {
        const result = await admin.client.request(CREATE_IDENTITY_PROVIDER, {
          input: identityProviderInput({ issuer, name: issuer, emailDomains: [] }),
        });
        expect(errorCode(result)).toBe('BAD_USER_INPUT');
        expect(result.errors![0].extensions!.field).toBe('issuer');
        expect(result.errors![0].message).toMatch(/metadata/);
      }
    } finally {
      await onPremises.close();
    }
  });

  it("answers NOT_FOUND for unknown roles and another organization's groups", async () => {
    const admin = await signUp(app);
    const other = await signUp(app);
    const othersGroup = await createGroup(other.client);
    for (const mapping of [
      { idpGroup: 'a', roleId: 'no-such-role' },
      { idpGroup: 'a', roleId: 'admin', groupId: othersGroup },
    ]) {
      const result = await admin.client.request(CREATE_IDENTITY_PROVIDER, {
        input: identityProviderInput({ groupMappings: [mapping] }),
      });
      expect(errorCode(result)).toBe('NOT_FOUND');
    }
    expect(await storedProviders(admin.organizationId)).toEqual([]);
  });

  it('refuses a duplicate name, and an email domain that already leads to another provider', async () => {
    const admin = await signUp(app);
    const domain = uniqueDomain('taken');
    await verifiedDomain(admin.client, domain);
    const first = await create(admin, { name: 'Corporate SSO', emailDomains: [domain] });
    const sameName = await admin.client.request(CREATE_IDENTITY_PROVIDER, {
      input: identityProviderInput({ name: 'corporate sso' }),
    });
    expect([errorCode(sameName), sameName.errors![0].extensions!.field]).toEqual(['CONFLICT', 'name']);
    const sameDomain = await admin.client.request(CREATE_IDENTITY_PROVIDER, {
      input: identityProviderInput({ name: 'Second SSO', emailDomains: [domain] }),
    });
    expect([errorCode(sameDomain), sameDomain.errors![0].extensions!.field]).toEqual(['CONFLICT', 'emailDomains']);
    expect((await storedProviders(admin.organizationId)).map((p: { id: string }) => p.id)).toEqual([first.id]);
  });

  it("accepts only the organization's verified domains, and their subdomains when the Admin says so", async () => {
    const admin = await signUp(app);
    const squatter = await signUp(app);
    const domain = uniqueDomain('owned');
    const claim = await verifiedDomain(admin.client, domain);
    const provider = await create(admin, { emailDomains: [domain] });
    // Another organization's verified domain, an unverified claim and an unclaimed domain are all refused.
    await squatter.client.ok('mutation($d: String!) { addDomain(domain: $d) { id } }', { d: domain });
    for (const emailDomains of [[domain], [uniqueDomain('unclaimed')]]) {
      const refused = await squatter.client.request(CREATE_IDENTITY_PROVIDER, {
        input: identityProviderInput({ emailDomains }),
      });
      expect([errorCode(refused), refused.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'emailDomains']);
      expect(refused.errors![0].message).toContain('Verify');
    }
    expect(await storedProviders(squatter.organizationId)).toEqual([]);

    const subdomain = `eu.${domain}`;
    const update = () =>
      admin.client.request(UPDATE_IDENTITY_PROVIDER, {
        id: provider.id,
        input: identityProviderInput({ name: provider.name, emailDomains: [domain, subdomain] }),
      });
    expect(errorCode(await update())).toBe('BAD_USER_INPUT');
    await admin.client.ok('mutation($id: ID!) { updateDomain(id: $id, input: { includeSubdomains: true }) { id } }', {
      id: claim.id,
    });
    expect((await update()).data!.updateIdentityProvider.emailDomains).toEqual([subdomain, domain]);

    // The domain cannot go while the provider routes it.
    const deleted = await admin.client.request('mutation($id: ID!) { deleteDomain(id: $id) }', { id: claim.id });
    expect(errorCode(deleted)).toBe('CONFLICT');
    expect(deleted.errors![0].message).toContain(provider.name);
  });

  it('replaces the configuration on update, keeping the secret unless a new one is given', async () => {
    const admin = await signUp(app);
    const provider = await create(admin);
    const sealed = async () => (await storedProviders(admin.organizationId))[0].client_secret_sealed;
    const before = await sealed();
    const updated = (
      await admin.client.ok(UPDATE_IDENTITY_PROVIDER, {
        id: provider.id,
        input: identityProviderInput({
          name: 'Renamed',
          clientSecret: undefined,
          groupsClaim: 'roles',
          enabled: false,
          groupMappings: [
            { idpGroup: 'owners', roleId: 'admin' },
            { idpGroup: 'everyone', roleId: 'consumer' },
          ],
        }),
      })
    ).updateIdentityProvider;
    expect(updated).toMatchObject({ name: 'Renamed', groupsClaim: 'roles', enabled: false });
    expect(updated.groupMappings.map((m: { idpGroup: string }) => m.idpGroup)).toEqual(['owners', 'everyone']);
    expect(await sealed()).toBe(before);
    const event = await expectAuditEvent(app.db, {
      mutation: 'updateIdentityProvider',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'identityProvider.updated',
      actorId: admin.userId,
      targetId: provider.id,
    });
    expect(event.changes.name).toEqual({ before: provider.name, after: 'Renamed' });
    expect(event.changes.enabled).toEqual({ before: true, after: false });
    expect(event.changes.clientSecret).toBeUndefined();

    await admin.client.ok(UPDATE_IDENTITY_PROVIDER, {
      id: provider.id,
      input: identityProviderInput({ name: 'Renamed', clientSecret: 'rotated-secret' }),
    });
    expect(SecretBox.fromConfig(app.config).open(await sealed())).toBe('rotated-secret');
  });

  it('refuses a change that would take Admin away from the Admin who signs in through the provider', async () => {
    const admin = await signUp(app);
    const provider = await create(admin);
    await linkIdentity(provider.id, admin, ['gatehouse-admins']);
    const attempts = [
      identityProviderInput({ groupMappings: [{ idpGroup: 'someone-else', roleId: 'admin' }] }),
      identityProviderInput({ enabled: false }),
    ];
    for (const input of attempts) {
      const result = await admin.client.request(UPDATE_IDENTITY_PROVIDER, { id: provider.id, input });
      expect(errorCode(result)).toBe('CONFLICT');
    }
    expect(errorCode(await admin.client.request(DELETE, { id: provider.id }))).toBe('CONFLICT');
    const [stored] = await storedProviders(admin.organizationId);
    expect([stored.enabled, stored.mappings]).toEqual([true, 1]);

    // A mapping order that still leads their group to Admin is fine.
    await admin.client.ok(UPDATE_IDENTITY_PROVIDER, {
      id: provider.id,
      input: identityProviderInput({
        groupMappings: [
          { idpGroup: 'gatehouse-admins', roleId: 'admin' },
          { idpGroup: 'staff', roleId: 'consumer' },
        ],
      }),
    });
  });

  it('refuses a mapping to a role the caller does not hold (no escalation)', async () => {
    const admin = await signUp(app);
    const { createRole } = await admin.client.ok(
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: unique('Security'), scope: 'TENANT', permissions: ['security:manage', 'settings:read'] } },
    );
    const securityOfficer = await addMember(app, admin, createRole.id);
    const result = await securityOfficer.client.request(CREATE_IDENTITY_PROVIDER, { input: identityProviderInput() });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(await storedProviders(admin.organizationId)).toEqual([]);
  });

  it('keeps roles that mappings use, and drops a deleted group from its mapping', async () => {
    const admin = await signUp(app);
    const { createRole } = await admin.client.ok(
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: unique('Mapped'), scope: 'TENANT', permissions: ['profile:read'] } },
    );
    const groupId = await createGroup(admin.client);
    await create(admin, {
      groupMappings: [
        { idpGroup: 'admins', roleId: 'admin' },
        { idpGroup: 'readers', roleId: createRole.id, groupId },
      ],
    });
    const deleteRole = await admin.client.request('mutation($id: ID!) { deleteRole(id: $id) }', { id: createRole.id });
    expect(errorCode(deleteRole)).toBe('CONFLICT');
    await admin.client.ok('mutation($id: ID!) { deleteGroup(id: $id) }', { id: groupId });
    const { identityProviders } = await admin.client.ok(
      '{ identityProviders { groupMappings { idpGroup group { id } } } }',
    );
    expect(identityProviders[0].groupMappings).toEqual([
      { idpGroup: 'admins', group: null },
      { idpGroup: 'readers', group: null },
    ]);
  });

  it('deletes a provider with its mappings and domains, recording the event', async () => {
    const admin = await signUp(app);
    const domain = uniqueDomain('gone');
    await verifiedDomain(admin.client, domain);
    const provider = await create(admin, { emailDomains: [domain] });
    expect((await admin.client.ok(DELETE, { id: provider.id })).deleteIdentityProvider).toBe(provider.id);
    expect(await storedProviders(admin.organizationId)).toEqual([]);
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM identity_provider_domains WHERE identity_provider_id = $1',
      [provider.id],
    );
    expect(count).toBe(0);
    await expectAuditEvent(app.db, {
      mutation: 'deleteIdentityProvider',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'identityProvider.deleted',
      actorId: admin.userId,
      targetId: provider.id,
    });
    expect(errorCode(await admin.client.request(DELETE, { id: provider.id }))).toBe('NOT_FOUND');
  });
});

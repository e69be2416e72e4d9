import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';

const SESSIONS = `{ mySessions { id device ip current } }`;
const END = `mutation($id: ID!) { endSession(id: $id) }`;
const END_OTHERS = `mutation { endOtherSessions }`;
const LOG = `query($after: String) { mySecurityLog(first: 2, after: $after) { nodes { action outcome ip } pageInfo { hasNextPage endCursor } } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('sessions', () => {
  it('lists the viewer’s sessions with their device, this one first, and ends one or all others', async () => {
    const user = await signUp(app);
    const laptop = app.client();
    await laptop.post(
      { query: SIGN_IN, variables: { input: { email: user.email, password: user.password } } },
      {
        'user-agent': FIREFOX,
      },
    );
    const phone = app.client();
    await phone.ok(SIGN_IN, { input: { email: user.email, password: user.password } });

    const { mySessions } = await user.client.ok(SESSIONS);
    expect(mySessions).toHaveLength(3);
    expect(mySessions[0]).toMatchObject({ current: true, ip: user.client.ip });
    expect(mySessions.map((s: { device: string }) => s.device)).toContain('Firefox on Windows');

    const laptopSession = mySessions.find((s: { ip: string }) => s.ip === laptop.ip);
    expect(await user.client.ok(END, { id: laptopSession.id })).toEqual({ endSession: laptopSession.id });
    expect((await laptop.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();
    await expectAuditEvent(app.db, {
      mutation: 'endSession',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.sessionEnded',
      actorId: user.userId,
      targetId: user.userId,
    });

    expect(await user.client.ok(END_OTHERS)).toEqual({ endOtherSessions: 1 });
    expect((await phone.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();
    expect((await user.client.ok(SESSIONS)).mySessions).toHaveLength(1);
    await expectAuditEvent(app.db, {
      mutation: 'endOtherSessions',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.otherSessionsEnded',
      actorId: user.userId,
      targetId: user.userId,
    });
  });

  it("answers NOT_FOUND for someone else's session and for ids that are not ids", async () => {
    const user = await signUp(app);
    const other = await signUp(app);
    const [theirs] = (await other.client.ok(SESSIONS)).mySessions;
    expect(errorCode(await user.client.request(END, { id: theirs.id }))).toBe('NOT_FOUND');
    expect(errorCode(await user.client.request(END, { id: 'nope' }))).toBe('NOT_FOUND');
    expect((await other.client.request(`{ viewer { user { id } } }`)).data!.viewer).not.toBeNull();
  });
});

describe('security log', () => {
  it('shows the viewer’s own sign-ins, failures and credential changes, paged, and nobody else’s', async () => {
    const user = await signUp(app);
    const other = await signUp(app);
    const stranger = app.client();
    await stranger.request(SIGN_IN, { input: { email: user.email, password: 'Wrong-password-1' } });
    await stranger.request(SIGN_IN, { input: { email: other.email, password: 'Wrong-password-1' } });
    await app.client().ok(SIGN_IN, { input: { email: user.email, password: user.password } });

    const actions: string[] = [];
    let after: string | null = null;
    do {
      const { mySecurityLog }: any = await user.client.ok(LOG, { after });
      actions.push(
        ...mySecurityLog.nodes.map((event: { action: string; outcome: string }) => `${event.action}:${event.outcome}`),
      );
      after = mySecurityLog.pageInfo.hasNextPage ? mySecurityLog.pageInfo.endCursor : null;
    } while (after);
    expect(actions).toEqual(['user.signedIn:SUCCESS', 'user.signInFailed:FAILURE', 'user.signedUp:SUCCESS']);
  });
});

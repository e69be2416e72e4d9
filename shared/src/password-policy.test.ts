import { evaluatePassword, passwordProblem } from './password-policy';

const failing = (password: string, context = {}) =>
  evaluatePassword(password, context)
    .filter((rule) => !rule.ok)
    .map((rule) => rule.id);

describe('password policy', () => {
  it('accepts a password that meets every rule', () => {
    expect(failing('Correct-Horse-7')).toEqual([]);
    expect(passwordProblem('Correct-Horse-7')).toBeNull();
  });

  it.each([
    ['Sh0rt!', 'length'],
    ['lowercase-only-7', 'uppercase'],
    ['UPPERCASE-ONLY-7', 'lowercase'],
    ['No-Digits-Here', 'digit'],
    ['NoSpecial1234', 'special'],
  ])('%s fails the %s rule', (password, rule) => {
    expect(failing(password)).toEqual([rule]);
  });

  it('refuses common passwords, also with case and punctuation added', () => {
    expect(failing('Password1!')).toEqual(['notCommon']);
    expect(failing('Qwerty123!')).toEqual(['notCommon']);
  });

  it('refuses more than 72 bytes without truncating, counting UTF-8 bytes', () => {
    const multiByte = `Aa1!${'é'.repeat(35)}`;
    expect([...multiByte].length).toBeLessThan(72);
    expect(failing(multiByte)).toEqual(['maxBytes']);
    expect(failing(`Aa1!${'x'.repeat(68)}`)).toEqual([]);
  });

  it("refuses the user's own email or username", () => {
    expect(failing('Ada.Lovelace-1!', { email: 'ada.lovelace-1!@example.com' })).toEqual(['notPersonal']);
    expect(failing('xX-adal-2026', { username: 'adal' })).toEqual(['notPersonal']);
  });

  it("raises the minimum length to the organization's setting, never below 8", () => {
    expect(failing('Abcdef1!xyz', { minLength: 12 })).toEqual(['length']);
    expect(failing('Abcde1!x', { minLength: 4 })).toEqual([]);
  });

  it('names the first failing rule for a person', () => {
    expect(passwordProblem('short')).toBe('Password needs: at least 8 characters');
    expect(passwordProblem('Password1!')).toBe('Password must be: not a commonly used password');
  });
});

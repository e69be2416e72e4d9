import { loadConfig } from './config';

describe('loadConfig', () => {
  const saved = { PORT: process.env.PORT, PUBLIC_URL: process.env.PUBLIC_URL };

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('the default PUBLIC_URL follows PORT, so email links and the SSO redirect reach this server', () => {
    process.env.PORT = '5123';
    delete process.env.PUBLIC_URL;
    expect(loadConfig().publicUrl).toBe('http://localhost:5123');
  });

  test('an explicit PUBLIC_URL wins over PORT', () => {
    process.env.PORT = '5123';
    process.env.PUBLIC_URL = 'https://gatehouse.example.com';
    expect(loadConfig().publicUrl).toBe('https://gatehouse.example.com');
  });
});

import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

const STARTUP_TIMEOUT_MS = 15_000;
const STDERR_KEPT = 4000;

/** A stand-in service in a child process that prints one JSON "ready" line on stdout. */
export interface FixtureProcess<Ready> {
  ready: Ready;
  /** The end of its stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `script` with `env` (the stand-ins are ES modules, the tests CommonJS) and waits for
 * its ready line. The IPC channel lets the child notice when this process dies without stop().
 */
export async function startFixtureProcess<Ready>(
  what: string,
  script: string,
  env: Record<string, string>,
): Promise<FixtureProcess<Ready>> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Both are pipes (stdio above); the typings only know that for a three-element stdio.
  const childStdout = child.stdout as Readable;
  const childStderr = child.stderr as Readable;
  let stderr = '';
  childStderr.setEncoding('utf8');
  childStderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      let stdout = '';
      const fail = (message: string) => {
        clearTimeout(timer);
        reject(new Error(`${message}; its stderr:\n${stderr || '(empty)'}`));
      };
      const timer = setTimeout(
        () => fail(`the ${what} did not start within ${STARTUP_TIMEOUT_MS / 1000} s`),
        STARTUP_TIMEOUT_MS,
      );
      child.once('error', (error) => fail(`could not start the ${what}: ${error.message}`));
      child.once('exit', (code, signal) => fail(`the ${what} exited (${signal ?? code}) before it was ready`));
      childStdout.setEncoding('utf8');
      childStdout.on('data', (chunk: string) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline === -1) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)));
        } catch {
          fail(`the ${what} printed something else than its ready line: ${stdout.slice(0, 200)}`);
        }
      });
    });
    return { ready, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stores a response's Set-Cookie headers in a jar, dropping expired ones. */
export function storeCookies(jar: Map<string, string>, setCookies: string[]) {
  for (const header of setCookies) {
    const [pair, ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, val = ''] = attribute.trim().split('=');
      if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
      return false;
    });
    if (expired || !value) jar.delete(name);
    else jar.set(name, value);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from './fixtures';

/**
 * A server of its own started with `--demo`: one street of three communities (one a
 * village), for the specs about many communities; the shared e2e server holds a single
 * community whose board is at `/`.
 */
export type Demo = { base: string; stdout: string[]; child: ChildProcess; dir: string };

export async function startDemo(name: string): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), `shouwang-${name}-`));
  const bin = process.env.SHOUWANG_BIN ?? '../target/release/shouwang';
  const child = spawn(bin, ['serve', '--demo', '--database', join(dir, 'street.db'), '--addr', '127.0.0.1:0'], {
    env: { ...process.env, SHOUWANG_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the demo server exited (${code})`)));
    lines.on('line', (line) => {
      stdout.push(line);
      const m = line.match(/^Shouwang listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
  });
  // The sign-ins are printed after the address line.
  await expect.poll(() => stdout.some((l) => l.includes('street staff'))).toBe(true);
  return { base, stdout, child, dir };
}

export function stopDemo(demo: Demo) {
  demo.child.kill('SIGTERM');
  rmSync(demo.dir, { recursive: true, force: true });
}

/** The printed password of the first sign-in line that contains (or matches) `marker`. */
export function passwordOn(demo: Demo, marker: string | RegExp): string {
  const line = demo.stdout.find((l) => (typeof marker === 'string' ? l.includes(marker) : marker.test(l)));
  const m = line?.match(/password (\S+)/);
  if (!m) throw new Error(`no printed password for ${marker}: ${demo.stdout.join('\n')}`);
  return m[1];
}

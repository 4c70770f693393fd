/**
 * Run before `npm test`: the browser tests drive Debian's Chromium and the PDF tests read PDFs
 * back with poppler's pdftotext. Installs whichever is missing with apt-get (never a downloaded
 * browser build), so a fresh machine needs nothing but `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed: [string, string][] = [
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/bin/pdftotext', 'poppler-utils'],
];
const missing = needed.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
if (missing.length) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : ['sudo'];
  console.log(`Installing system packages for the tests: ${missing.join(', ')}`);
  const run = (args: string[]) => {
    const r = spawnSync(sudo.length ? 'sudo' : args[0]!, sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status})`);
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
}
console.log(`Chromium: ${execFileSync('/usr/bin/chromium', ['--version']).toString().trim()}`);

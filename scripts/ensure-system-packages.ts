/**
 * Run before `npm test`: the browser tests drive Debian's Chromium, the PDF tests read PDFs back
 * with poppler's pdftotext, and the storage contract suite starts a throwaway PostgreSQL server
 * from Debian's binaries (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin). Installs whichever
 * is missing with apt-get (never a downloaded build), so a fresh machine needs nothing but
 * `npm test`. The tests start and stop their own PostgreSQL; the package's own cluster is unused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const hasPostgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')));

const needed: [() => boolean, string][] = [
  [() => existsSync('/usr/bin/chromium'), 'chromium'],
  [() => existsSync('/usr/bin/pdftotext'), 'poppler-utils'],
  [hasPostgres, 'postgresql'],
];
const missing = needed.filter(([present]) => !present()).map(([, pkg]) => pkg);
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
console.log(`PostgreSQL: ${readdirSync('/usr/lib/postgresql').filter((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb'))).join(', ')}`);

/**
 * `npm run user -- add --peran provinsi --wilayah 33 --nama "Nama Lengkap" [--pengguna nama.pengguna]`
 * makes an account on the server's database (DATABASE_URL) and prints its one-time password;
 * the first national admin is made the same way (`--peran admin` without `--wilayah`).
 * `reset --pengguna x` prints a new one-time password; `nonaktif|aktif --pengguna x`; `daftar`.
 */
import { parseArgs } from 'node:util';
import { loadRegions, openStore } from '../engine/index.js';
import { checkAccountInput } from '../server/auth/admin-routes.js';
import { createAuth, createAccount, listAccounts, resetPassword, setActive } from '../server/auth/auth.js';
import { isRole, ROLES } from '../server/auth/roles.js';

const USAGE = `Pemakaian:
  npm run user -- add --peran <${ROLES.join('|')}> [--wilayah <kode[,kode]>] --nama "<nama lengkap>" [--pengguna <nama.pengguna>]
  npm run user -- reset --pengguna <nama.pengguna>
  npm run user -- nonaktif --pengguna <nama.pengguna>
  npm run user -- aktif --pengguna <nama.pengguna>
  npm run user -- daftar`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { peran: { type: 'string' }, wilayah: { type: 'string' }, nama: { type: 'string' }, pengguna: { type: 'string' } },
});
const [command] = positionals;
if (!command) fail(USAGE);

const store = openStore(process.env.DATABASE_URL ?? 'data/lembar.sqlite');
try {
  await loadRegions(store);
  const auth = await createAuth(store, { baseURL: process.env.PUBLIC_URL ?? 'http://localhost:3000' });
  const byName = async (username: string | undefined) => {
    const account = (await listAccounts(store)).find((a) => a.username === username?.toLowerCase());
    return account ?? fail(`Akun "${username ?? ''}" tidak ada.`);
  };
  if (command === 'add') {
    if (!isRole(values.peran)) fail(`--peran harus salah satu dari: ${ROLES.join(', ')}.\n${USAGE}`);
    if (!values.nama?.trim()) fail(`--nama wajib diisi.\n${USAGE}`);
    const regions = (values.wilayah ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const problem = await checkAccountInput({ store }, { kind: 'all' }, values.peran, regions);
    if (problem) fail(problem);
    const { account, password } = await createAccount(auth, { name: values.nama.trim(), role: values.peran, regions, username: values.pengguna?.toLowerCase() });
    console.log(`Akun dibuat: ${account.name} (${account.role}, ${regions.join(', ') || 'nasional'})\nNama pengguna: ${account.username}\nKata sandi sementara: ${password}\nSampaikan langsung kepada pemilik akun; ia wajib menggantinya saat pertama masuk.`);
  } else if (command === 'reset') {
    const account = await byName(values.pengguna);
    console.log(`Kata sandi sementara baru untuk ${account.username}: ${await resetPassword(auth, account.id)}`);
  } else if (command === 'nonaktif' || command === 'aktif') {
    const account = await byName(values.pengguna);
    await setActive(auth, account.id, command === 'aktif');
    console.log(`Akun ${account.username} ${command === 'aktif' ? 'diaktifkan' : 'dinonaktifkan'}.`);
  } else if (command === 'daftar') {
    for (const a of await listAccounts(store)) console.log(`${a.username}\t${a.role}\t${a.regions.join(',') || 'nasional'}\t${a.active ? 'aktif' : 'nonaktif'}\t${a.name}`);
  } else fail(USAGE);
} finally {
  await store.close();
}

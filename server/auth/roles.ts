/**
 * Who acts: each account has one role and is bound to nodes of the region tree, seeing and
 * changing only their subtrees. What a role may do is this table; where is its regions.
 */
import { REGION_LEVELS, type FormModel } from '../../engine/index.js';

export const ROLES = ['kader', 'pkb', 'kabupaten', 'provinsi', 'pusat', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleInfo {
  /** How staff call the role, for pages and the CLI. */
  readonly title: string;
  /** Region levels an account of this role may be bound to ('nasional' = the whole country). */
  readonly levels: readonly string[];
  /** May bind to several nodes (a PKB's list of villages). */
  readonly many: boolean;
  /** Fills forms (K/0, R/1). */
  readonly writesForms: boolean;
  /** Reads stored forms (lists, receipts, downloads). */
  readonly readsForms: boolean;
  /** Reads reports. */
  readonly readsReports: boolean;
  /** Sees fields marked `x-personal` (NIK, telepon) in full. */
  readonly seesPersonal: boolean;
  /** Manages accounts below its node, and reads the audit trail. */
  readonly administers: boolean;
  /** Confirms having checked a submission's warnings (a possible duplicate group) in its region. */
  readonly checksWarnings: boolean;
  /** In the definition studio: proposes drafts (`draf`) or also publishes them (`terbit`). */
  readonly studio?: 'draf' | 'terbit';
}

const [PROV, KAB, KEC, DESA, KAMPUNG] = REGION_LEVELS;

export const ROLE_INFO: Readonly<Record<Role, RoleInfo>> = {
  kader: { title: 'Kader (pengelola kelompok / Kampung KB)', levels: [DESA, KAMPUNG], many: false, writesForms: true, readsForms: true, readsReports: false, seesPersonal: true, administers: false, checksWarnings: false },
  pkb: { title: 'PKB/PLKB', levels: [KEC, DESA], many: true, writesForms: true, readsForms: true, readsReports: false, seesPersonal: true, administers: false, checksWarnings: false },
  kabupaten: { title: 'OPD KB kabupaten/kota', levels: [KAB], many: false, writesForms: false, readsForms: true, readsReports: true, seesPersonal: true, administers: false, checksWarnings: true },
  provinsi: { title: 'Perwakilan BKKBN provinsi', levels: [PROV], many: false, writesForms: false, readsForms: true, readsReports: true, seesPersonal: false, administers: false, checksWarnings: true, studio: 'draf' },
  pusat: { title: 'Direktorat (pusat)', levels: ['nasional'], many: false, writesForms: false, readsForms: true, readsReports: true, seesPersonal: false, administers: false, checksWarnings: false, studio: 'terbit' },
  admin: { title: 'Admin akun', levels: ['nasional', PROV, KAB, KEC], many: false, writesForms: false, readsForms: false, readsReports: false, seesPersonal: false, administers: true, checksWarnings: false },
};

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** Who enters a report's staff entries: its `x-rollup.enteredBy` roles. */
export function entersReport(role: Role, report: FormModel): boolean {
  return (report.rollup?.enteredBy ?? []).some((r) => r === role);
}

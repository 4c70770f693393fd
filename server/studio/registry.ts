/**
 * The forms the server serves, by id, with every published version and the period it is in force
 * from. As a map it answers with the version in force this month (WIB), so everything that reads
 * `deps.forms` keeps working; `at(id, period)` answers for another month (an entry page for next
 * month, a report of last month), `byHash` for a page that named its validator. Publishing from
 * the studio installs a version here: pages, validators and bundles switch without a restart.
 */
import { rekeyModel, renamesFrom, type FormModel, type YearMonth } from '../../engine/index.js';

interface Installed {
  /** The version as served: re-keyed when a later version renamed a field (one data layout). */
  readonly model: FormModel;
  /** First period in force; undefined for the version the server started with (always). */
  readonly from?: YearMonth;
  /** The version as published. */
  readonly published: FormModel;
}

const order = (p: YearMonth) => p.tahun * 12 + p.bulan;

/** This month in WIB, the period "now" is in. */
export function currentPeriod(now = new Date()): YearMonth {
  const wib = new Date(now.getTime() + 7 * 3600 * 1000);
  return { tahun: wib.getUTCFullYear(), bulan: wib.getUTCMonth() + 1 };
}

export class FormRegistry implements ReadonlyMap<string, FormModel> {
  private readonly versions = new Map<string, Installed[]>();

  constructor(initial: Iterable<FormModel> = []) {
    for (const m of initial) this.install(m);
  }

  /**
   * Add a version; it replaces one with the same version number. Kept in order of their start.
   * The stored rows have one layout, the newest version's (a rename renames the column), so every
   * earlier version is served with the keys later versions gave its fields: its page for an
   * earlier month, its validator and its reads all name the columns as they are now.
   */
  install(model: FormModel, from?: YearMonth): void {
    const list = (this.versions.get(model.id) ?? []).filter((v) => v.published.version !== model.version);
    list.push({ model, published: model, ...(from ? { from } : {}) });
    list.sort((a, b) => (a.from ? order(a.from) : -Infinity) - (b.from ? order(b.from) : -Infinity) || a.published.version - b.published.version);
    const byVersion = [...list].sort((a, b) => a.published.version - b.published.version);
    this.versions.set(model.id, list.map((v) => {
      let served = v.published;
      for (const later of byVersion) if (later.published.version > v.published.version) served = rekeyModel(served, renamesFrom(served, later.published));
      return served === v.model ? v : { ...v, model: served };
    }));
  }

  /** The version in force in `period` (this month when not given). */
  at(id: string, period: YearMonth = currentPeriod()): FormModel | undefined {
    const list = this.versions.get(id);
    if (!list) return undefined;
    let found: FormModel | undefined;
    for (const v of list) if (!v.from || order(v.from) <= order(period)) found = v.model;
    return found ?? list[0]!.model;
  }

  /** Every installed version of a form, oldest start first, with its first period. */
  versionsOf(id: string): readonly Installed[] {
    return this.versions.get(id) ?? [];
  }

  /** The version whose definition has this hash (a page names its validator by hash). */
  byHash(id: string, hash: string): FormModel | undefined {
    return this.versions.get(id)?.find((v) => v.model.hash === hash || v.model.publishedHash === hash)?.model;
  }

  /** The newest version (the studio's base for a new draft). */
  latest(id: string): FormModel | undefined {
    const list = this.versions.get(id);
    return list?.reduce<FormModel | undefined>((best, v) => (!best || v.model.version > best.version ? v.model : best), undefined);
  }

  // ReadonlyMap over the versions in force now.
  get(id: string): FormModel | undefined { return this.at(id); }
  has(id: string): boolean { return this.versions.has(id); }
  get size(): number { return this.versions.size; }
  keys(): MapIterator<string> { return this.versions.keys(); }
  *values(): MapIterator<FormModel> { for (const id of this.versions.keys()) yield this.at(id)!; }
  *entries(): MapIterator<[string, FormModel]> { for (const id of this.versions.keys()) yield [id, this.at(id)!]; }
  [Symbol.iterator](): MapIterator<[string, FormModel]> { return this.entries(); }
  forEach(fn: (value: FormModel, key: string, map: ReadonlyMap<string, FormModel>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** The registry behind `forms`, when the server runs with one (tests may pass a plain map). */
export function registryOf(forms: ReadonlyMap<string, FormModel>): FormRegistry | undefined {
  return forms instanceof FormRegistry ? forms : undefined;
}

/**
 * The version a submission is checked and stored with: the one in force in the period its own
 * fields name (`x-deadline` year and month; a yearly form counts from January of its year), else
 * the one in force now.
 */
export function versionForData(forms: ReadonlyMap<string, FormModel>, model: FormModel, data: unknown): FormModel {
  const registry = registryOf(forms);
  const decl = model.deadline;
  if (!registry || !decl || !data || typeof data !== 'object') return model;
  const value = (key: string) => {
    for (const section of Object.values(data as Record<string, unknown>)) {
      if (section && typeof section === 'object' && !Array.isArray(section) && key in section) return (section as Record<string, unknown>)[key];
    }
    return undefined;
  };
  const tahun = value(decl.year);
  const bulan = decl.month ? value(decl.month) : 1;
  if (typeof tahun !== 'number' || typeof bulan !== 'number' || bulan < 1 || bulan > 12) return model;
  return registry.at(model.id, { tahun, bulan }) ?? model;
}

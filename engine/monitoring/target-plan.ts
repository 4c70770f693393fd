/**
 * A target plan: what a program target file in `forms/targets/` declares beyond its values — the
 * year it is for, which groups count as "mendapat fasilitasi" (named by form ids and field keys,
 * never coded), and the quarterly milestones. Read from the loaded target data and checked against
 * the loaded forms, so a file naming a form or field that does not exist is refused with a message
 * its author can act on (Indonesian, like every definition problem), instead of counting nothing.
 */
import type { FieldNode, FormModel } from '../model-types.js';
import { indexModel } from '../model-index.js';
import { REGION_LEVELS, type RegionLevel } from '../regions.js';
import type { TargetData } from '../reports/targets.js';

/** When a group counts as facilitated in a year up to a month. */
export interface FacilitationRule {
  readonly description?: string;
  /** Why this is our reading rather than the guide's (shown to staff). */
  readonly assumed?: string;
  /** The group card form (K/0): a card of it must be in force in the month (`x-entity`). */
  readonly groupForm: string;
  /** The register form (R/1) whose submissions of the year, up to the month, show the activities. */
  readonly activityForm: string;
  /** The register's field linking to the group (its entity). */
  readonly link: string;
  /** The register's period fields. */
  readonly year: string;
  readonly month: string;
  /** Boolean fields of the register: at least one of them true in one register counts. */
  readonly anyOf: readonly string[];
}

export interface Milestone {
  /** 1–4. */
  readonly quarter: number;
  /** "Pemetaan data", "40% dari target". */
  readonly label: string;
  /** Share of the target to reach by the end of the quarter; absent: no percentage (Q1 data mapping). */
  readonly percent?: number;
}

export interface TargetPlan {
  /** The target file's id (`pro-pn-2023`). */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly year: number;
  /** The region level the file's values are for (`provinsi`). */
  readonly level: RegionLevel;
  readonly unit: string;
  /** The file's values, which seed the database the first time the year is used. */
  readonly values: Readonly<Record<string, number>>;
  readonly facilitated: FacilitationRule;
  readonly milestones: readonly Milestone[];
}

export interface PlanProblem {
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A root field of `model` (a field of a non-repeating section) by key. */
function rootField(model: FormModel, key: unknown): FieldNode | undefined {
  return typeof key === 'string' ? indexModel(model).rootFields.get(key) : undefined;
}

/**
 * The plan a target file declares, or its problems. `target` is the file as loaded (its extra keys
 * `year`, `facilitated`, `milestones` are kept by the loader); `forms` the loaded definitions.
 */
export function targetPlan(target: TargetData, forms: ReadonlyMap<string, FormModel>): { plan?: TargetPlan; problems: PlanProblem[] } {
  const raw = target as unknown as Json;
  const file = `targets/${target.id}.json`;
  const problems: PlanProblem[] = [];
  const problem = (pointer: string, message: string) => problems.push({ file, pointer, message });

  const year = raw.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) problem('/year', '"year" harus tahun target (bilangan bulat, misalnya 2023).');
  const level = raw.level;
  if (typeof level !== 'string' || !(REGION_LEVELS as readonly string[]).includes(level)) problem('/level', `"level" harus salah satu tingkat wilayah: ${REGION_LEVELS.join(', ')}.`);
  for (const [code, v] of Object.entries(isObject(raw.values) ? raw.values : {})) {
    if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) problem(`/values/${code}`, `Target wilayah ${code} harus bilangan bulat 0 atau lebih, atau null bila tanpa target.`);
  }

  const decl = raw.facilitated;
  let rule: FacilitationRule | undefined;
  if (!isObject(decl)) problem('/facilitated', '"facilitated" wajib: kelompok mana yang dihitung mendapat fasilitasi.');
  else {
    const group = isObject(decl.group) ? decl.group : {};
    const activity = isObject(decl.activity) ? decl.activity : {};
    const groupModel = typeof group.form === 'string' ? forms.get(group.form) : undefined;
    if (!groupModel) problem('/facilitated/group/form', `"group.form" menyebut formulir "${String(group.form ?? '')}" yang tidak ada.`);
    else {
      if (!groupModel.entity) problem('/facilitated/group/form', `Formulir "${groupModel.id}" tidak punya x-entity, jadi kartu yang berlaku pada suatu bulan tidak dapat ditentukan.`);
      if (typeof level === 'string' && ![...indexModel(groupModel).rootFields.values()].some((f) => f.region === level)) {
        problem('/level', `Formulir "${groupModel.id}" tidak punya isian wilayah tingkat "${level}", jadi kelompok tidak dapat dihitung per wilayah itu.`);
      }
    }
    const activityModel = typeof activity.form === 'string' ? forms.get(activity.form) : undefined;
    if (!activityModel) problem('/facilitated/activity/form', `"activity.form" menyebut formulir "${String(activity.form ?? '')}" yang tidak ada.`);
    else {
      const link = rootField(activityModel, activity.link);
      if (!link) problem('/facilitated/activity/link', `Formulir "${activityModel.id}" tidak punya isian "${String(activity.link ?? '')}" (penghubung ke kelompok).`);
      else if (groupModel && link.refForm !== groupModel.id) problem('/facilitated/activity/link', `Isian "${link.key}" formulir "${activityModel.id}" tidak merujuk ke formulir "${groupModel.id}" (x-ref-form).`);
      for (const key of ['year', 'month'] as const) {
        const f = rootField(activityModel, activity[key]);
        if (!f) problem(`/facilitated/activity/${key}`, `Formulir "${activityModel.id}" tidak punya isian "${String(activity[key] ?? '')}" (${key === 'year' ? 'tahun' : 'bulan'} register).`);
        else if (f.valueType !== 'integer') problem(`/facilitated/activity/${key}`, `Isian "${f.key}" formulir "${activityModel.id}" bukan bilangan bulat, jadi tidak dapat dipakai sebagai ${key === 'year' ? 'tahun' : 'bulan'}.`);
      }
      const anyOf = Array.isArray(activity.anyOf) ? activity.anyOf : [];
      if (!anyOf.length) problem('/facilitated/activity/anyOf', '"activity.anyOf" harus berisi sedikitnya satu isian Ya/Tidak (kegiatan).');
      anyOf.forEach((key, i) => {
        const f = rootField(activityModel, key);
        if (!f) problem(`/facilitated/activity/anyOf/${i}`, `Formulir "${activityModel.id}" tidak punya isian "${String(key)}" di luar bagian berulang.`);
        else if (f.valueType !== 'boolean') problem(`/facilitated/activity/anyOf/${i}`, `Isian "${f.key}" formulir "${activityModel.id}" bukan isian Ya/Tidak.`);
      });
    }
    if (!problems.length) {
      rule = {
        ...(typeof decl.description === 'string' ? { description: decl.description } : {}),
        ...(typeof decl.assumed === 'string' ? { assumed: decl.assumed } : {}),
        groupForm: groupModel!.id, activityForm: activityModel!.id,
        link: String(activity.link), year: String(activity.year), month: String(activity.month),
        anyOf: (activity.anyOf as unknown[]).map(String),
      };
    }
  }

  const milestones: Milestone[] = [];
  if (!Array.isArray(raw.milestones)) problem('/milestones', '"milestones" wajib: tonggak per triwulan (1–4).');
  else {
    raw.milestones.forEach((m, i) => {
      const at = `/milestones/${i}`;
      if (!isObject(m)) return void problem(at, 'Setiap tonggak adalah objek { "quarter", "label", "percent" }.');
      const { quarter, label, percent } = m;
      if (typeof quarter !== 'number' || ![1, 2, 3, 4].includes(quarter)) return void problem(`${at}/quarter`, '"quarter" harus 1, 2, 3 atau 4.');
      if (milestones.some((x) => x.quarter === quarter)) return void problem(`${at}/quarter`, `Triwulan ${quarter} disebut dua kali.`);
      if (typeof label !== 'string' || !label.trim()) return void problem(`${at}/label`, '"label" wajib diisi (misalnya "Pemetaan data").');
      if (percent !== undefined && (typeof percent !== 'number' || percent < 0 || percent > 100)) return void problem(`${at}/percent`, '"percent" harus angka 0–100, atau tidak ada bila tonggak itu tanpa persentase.');
      milestones.push({ quarter, label: label.trim(), ...(typeof percent === 'number' ? { percent } : {}) });
    });
  }

  if (problems.length) return { problems };
  return {
    problems,
    plan: {
      id: target.id, title: target.title, ...(target.description ? { description: target.description } : {}),
      year: year as number, level: level as RegionLevel, unit: target.unit, values: target.values,
      facilitated: rule!, milestones: milestones.sort((a, b) => a.quarter - b.quarter),
    },
  };
}

/** Every target file's plan, by year, and the problems of the files that could not be used. */
export function targetPlans(targets: ReadonlyMap<string, TargetData> | undefined, forms: ReadonlyMap<string, FormModel>): { plans: ReadonlyMap<number, TargetPlan>; problems: readonly PlanProblem[] } {
  const plans = new Map<number, TargetPlan>();
  const problems: PlanProblem[] = [];
  for (const target of targets?.values() ?? []) {
    const found = targetPlan(target, forms);
    if (found.plan && plans.has(found.plan.year)) {
      problems.push({ file: `targets/${target.id}.json`, pointer: '/year', message: `Tahun ${found.plan.year} sudah dinyatakan oleh berkas targets/${plans.get(found.plan.year)!.id}.json.` });
      continue;
    }
    problems.push(...found.problems);
    if (found.plan) plans.set(found.plan.year, found.plan);
  }
  return { plans, problems };
}

/**
 * The plan that applies to a year: its own file, else the latest earlier one (a new year's targets
 * can be entered before anyone writes its file; the definition and milestones carry over).
 */
export function planForYear(plans: ReadonlyMap<number, TargetPlan>, year: number): TargetPlan | undefined {
  let best: TargetPlan | undefined;
  for (const p of plans.values()) if (p.year <= year && (!best || p.year > best.year)) best = p;
  return best;
}

/** The quarter of a month (1–12). */
export const quarterOf = (month: number): number => Math.ceil(month / 3);

/** The milestone in force in a month: the one of its quarter, to reach by the quarter's end. */
export function milestoneFor(plan: TargetPlan, month: number): Milestone | undefined {
  return plan.milestones.find((m) => m.quarter === quarterOf(month));
}

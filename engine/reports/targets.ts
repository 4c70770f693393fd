/**
 * Program targets (the Pro PN 2023 table of groups per province) are program data, not engine
 * schema: each is a file in `forms/targets/` that a report names in `x-rollup.target`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TargetData {
  readonly id: string;
  /** "Target Pro PN 2023". */
  readonly title: string;
  readonly description?: string;
  /** The year the values are for (`year` in the file); a report of another year does not show them. */
  readonly year?: number;
  /** The region level the values are given for. */
  readonly level: string;
  /** "kelompok". */
  readonly unit: string;
  /** Region code → target; a region without a value has no target. */
  readonly values: Readonly<Record<string, number>>;
}

export const TARGETS_DIR_NAME = 'targets';

/** Every target file of a forms folder, by id (file name without `.json`). */
export function loadTargets(formsDir: string): Map<string, TargetData> {
  const dir = join(formsDir, TARGETS_DIR_NAME);
  const out = new Map<string, TargetData>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<TargetData, 'id'>;
    const values = Object.fromEntries(Object.entries(raw.values ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
    out.set(file.replace(/\.json$/, ''), { ...raw, id: file.replace(/\.json$/, ''), values });
  }
  return out;
}

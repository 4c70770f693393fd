/**
 * `npm run check -- <folder>`: load a folder of definitions exactly as the server does
 * (loadFormsChecked), and its target files (targets/*.json) as the target pages read them
 * (targetPlans), and print every problem as `file  pointer  message`, for staff who edit a form or
 * a target file to run before publishing it. Exit code 1 when anything is refused, 0 otherwise.
 */
import { resolve } from 'node:path';
import { loadFormsChecked, loadTargets, targetPlans } from '../engine/index.js';

const folder = resolve(process.argv[2] ?? 'forms');
const { forms, problems: formProblems } = loadFormsChecked(folder);
const { plans, problems: targetProblems } = targetPlans(loadTargets(folder), forms);
const problems = [...formProblems, ...targetProblems];

for (const p of problems) console.log(`${p.file}  ${p.pointer || '/'}  ${p.message}`);
if (problems.length) {
  const files = new Set(problems.map((p) => p.file)).size;
  console.log(`\n${problems.length} masalah di ${files} berkas; ${forms.size} definisi dapat dimuat.`);
  process.exitCode = 1;
} else {
  console.log(`Semua definisi di ${folder} baik: ${forms.size} formulir dan laporan dimuat tanpa masalah${plans.size ? `, ${plans.size} rencana target` : ''}.`);
}

/**
 * `npm run generate`: writes every generated artefact that is committed (TypeScript types and
 * reviewable SQL) from the definitions. `npm run generate -- --check` writes nothing and fails
 * when a committed file differs, so code can never stay typed against an old definition.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadForms } from '../engine/index.js';
import { formTypes, sharedTypes, typeName } from '../generators/types.js';
import { formDdlText } from '../generators/sql.js';

export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url));

/** Every generated file: relative path → content. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const forms = [...loadForms().values()];
  const shared = new Map<string, Record<string, unknown>>();
  for (const model of forms) {
    const types = await formTypes(model);
    for (const [name, schema] of types.shared) if (!shared.has(name)) shared.set(name, schema);
    files.set(`types/${model.id}.ts`, types.source);
    files.set(`sql/${model.id}.sql`, formDdlText(model));
  }
  files.set('types/shared.ts', await sharedTypes(shared));
  files.set('types/index.ts', '/* Dibuat oleh `npm run generate`. Jangan disunting. */\n' +
    forms.map((m) => `export type { ${typeName(m.id)} } from './${m.id}.js';`).join('\n') +
    (shared.size ? `\nexport type { ${[...shared.keys()].sort().join(', ')} } from './shared.js';` : '') + '\n');
  return files;
}

/** Paths whose committed content differs from what the definitions generate (or is missing/extra). */
export async function staleFiles(): Promise<string[]> {
  const want = await generatedFiles();
  const stale = [...want].filter(([path, text]) => !existsSync(join(GENERATED_DIR, path)) || readFileSync(join(GENERATED_DIR, path), 'utf8') !== text).map(([p]) => p);
  for (const sub of ['types', 'sql']) {
    const dir = join(GENERATED_DIR, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (!want.has(`${sub}/${f}`)) stale.push(`${sub}/${f}`);
  }
  return stale;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length) {
      console.error(`Generated files are stale; run \`npm run generate\`:\n${stale.map((s) => `  generated/${s}`).join('\n')}`);
      process.exit(1);
    }
    console.log('generated/ is up to date.');
  } else {
    for (const [path, text] of await generatedFiles()) {
      mkdirSync(join(GENERATED_DIR, path, '..'), { recursive: true });
      writeFileSync(join(GENERATED_DIR, path), text);
    }
    console.log(`Wrote ${GENERATED_DIR}`);
  }
}

/**
 * The reviewable SQL of a form: `npm run generate` writes each form's DDL (built by the storage's
 * own kysely schema builder, engine/storage/ddl.ts) to `generated/sql/`, so staff can see what a
 * definition does to the database.
 */
import { formDdl, type DialectName, type FormModel } from '../engine/index.js';

/** The DDL as one reviewable text. */
export function formDdlText(model: FormModel, dialect: DialectName = 'sqlite'): string {
  const header = `-- ${model.code} (${model.id}) versi ${model.version}: dibuat dari forms/${model.id}.json, jangan disunting.\n`;
  return header + formDdl(model, dialect).map((q) => `${q.sql};`).join('\n') + '\n';
}

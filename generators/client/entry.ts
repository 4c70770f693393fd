/**
 * Browser entry of a form's validator bundle. Reads the page's fields exactly as the server does
 * (the same `formDataToSubmission`), checks them with the same compiled definition (ajv's
 * standalone output) and the same rule evaluator, and exposes the result to lembar.js.
 */
import type { FormModel } from '../../engine/model-types.js';
import type { ValidationIssue } from '../../engine/issues.js';
import { issuesFor, type SchemaCheck } from '../../engine/validate-core.js';
import { hiddenFields } from '../../engine/show-when.js';
import { formDataToSubmission } from '../html/form-data.js';

/**
 * The check with the definition's own sentences put back on its `errorMessage` errors (the code
 * is compiled without messages; `messages` maps each errorMessage's schema path to its text, or
 * to texts by keyword).
 */
function withMessages(check: SchemaCheck, messages: Record<string, unknown>): SchemaCheck {
  const wrapped: SchemaCheck = (data) => {
    const ok = check(data);
    wrapped.errors = check.errors;
    for (const e of check.errors ?? []) {
      if (e.keyword !== 'errorMessage' || e.message !== undefined) continue;
      const m = messages[e.schemaPath];
      const inner = (e.params as { errors?: { keyword: string }[] }).errors?.[0]?.keyword;
      const text = typeof m === 'string' ? m : m && typeof m === 'object' && inner ? (m as Record<string, unknown>)[inner] : undefined;
      if (typeof text === 'string') e.message = text;
    }
    return ok;
  };
  return wrapped;
}

function bodyOf(form: HTMLFormElement): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [name, value] of new FormData(form).entries()) if (typeof value === 'string') body[name] = value;
  return body;
}

export function install(model: FormModel, rawCheck: SchemaCheck, messages: Record<string, unknown> = {}): void {
  const check = withMessages(rawCheck, messages);
  (globalThis as unknown as { LembarValidasi: unknown }).LembarValidasi = {
    formId: model.id,
    version: model.version,
    /** Issues of the form element's current values, with the field ids the page uses. */
    check(form: HTMLFormElement): (ValidationIssue & { id: string })[] {
      const data = formDataToSubmission(model, bodyOf(form));
      // Fields the server fills from a linked submission (x-copy-from) are not checked here;
      // warnings (severity "peringatan") come back marked and do not block Simpan.
      const copied = new Set(model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : [])).filter((f) => f.copyFrom).map((f) => f.pointer));
      return issuesFor(model, check, data).filter((i) => !copied.has(i.path)).map((i) => ({ ...i, id: `f-${i.path.slice(1).replace(/\//g, '-')}` }));
    },
    /** Names (`section.field`) of the fields `x-show-when` hides for the current values. */
    hidden(form: HTMLFormElement): string[] {
      const data = formDataToSubmission(model, bodyOf(form));
      return hiddenFields(model, data).map((p) => p.slice(1).split('/').join('.'));
    },
  };
}

/**
 * Browser entry of a form's validator bundle. Reads the page's fields exactly as the server does
 * (the same `formDataToSubmission`), checks them with the same compiled definition (ajv's
 * standalone output) and the same rule evaluator, and exposes the result to lembar.js.
 */
import type { FormModel } from '../../engine/model-types.js';
import type { ValidationIssue } from '../../engine/issues.js';
import { issuesFor, type SchemaCheck } from '../../engine/validate-core.js';
import { formDataToSubmission } from '../html/form-data.js';

export function install(model: FormModel, check: SchemaCheck): void {
  (globalThis as unknown as { LembarValidasi: unknown }).LembarValidasi = {
    formId: model.id,
    version: model.version,
    /** Issues of the form element's current values, with the field ids the page uses. */
    check(form: HTMLFormElement): (ValidationIssue & { id: string })[] {
      const body: Record<string, string> = {};
      for (const [name, value] of new FormData(form).entries()) if (typeof value === 'string') body[name] = value;
      const data = formDataToSubmission(model, body);
      return issuesFor(model, check, data).map((i) => ({ ...i, id: `f-${i.path.slice(1).replace(/\//g, '-')}` }));
    },
  };
}

/**
 * Browser entry of a form version's reader (served as /luring/formulir/:id.js?v=<hash>): the
 * page's fields read into a submission exactly as the server reads a form post (the same
 * `formDataToSubmission`), so an item queued with no signal is sent to the JSON API as the data
 * the page's own version would have made. Kept beside the validator rather than inside it: only
 * queueing needs it, and the validator's bundle counts against the entry page's size budget.
 */
import type { FormModel } from '../../engine/index.js';
import { formDataToSubmission } from '../../generators/html/form-data.js';

type Reader = (body: Record<string, string>) => Record<string, unknown>;

export function install(key: string, model: FormModel): void {
  const g = globalThis as unknown as { LembarBaca?: Record<string, Reader> };
  (g.LembarBaca ??= {})[key] = (body) => formDataToSubmission(model, body);
}

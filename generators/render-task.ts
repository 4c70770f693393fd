/**
 * One rendering job of the output registry, in a form that crosses to a worker thread: plain data
 * only, so the region namer travels as the names it will be asked for. Run by render-worker.mjs
 * (the server's pool) and callable in-process the same way.
 */
import type { BuiltReport, FormModel } from '../engine/index.js';
import type { Paper } from './pdf/layout.js';
import { OUTPUTS, type Artefact, type OutputOptions } from './outputs.js';

export interface RenderOptions {
  readonly paper?: Paper;
  readonly reference?: string;
  /** Region code → name, for every code the artefact prints. */
  readonly names?: Readonly<Record<string, string>>;
}

export type RenderJob =
  | { readonly ext: string; readonly what: 'form'; readonly model: FormModel; readonly data: Record<string, unknown> | undefined; readonly opts: RenderOptions }
  | { readonly ext: string; readonly what: 'report'; readonly built: BuiltReport; readonly opts: RenderOptions };

export async function renderJob(job: RenderJob): Promise<Artefact> {
  const output = OUTPUTS.get(job.ext);
  const names = job.opts.names ?? {};
  const opts: OutputOptions = { paper: job.opts.paper, reference: job.opts.reference, regionName: (code) => names[code] };
  if (job.what === 'form' && output?.form) return output.form(job.model, job.data, opts);
  if (job.what === 'report' && output?.report) return output.report(job.built, opts);
  throw new Error(`No output .${job.ext} for ${job.what}`);
}

export default renderJob;

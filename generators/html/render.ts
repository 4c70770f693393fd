/**
 * Handlebars rendering: every template and partial in `templates/` is compiled once, on first use,
 * in an isolated handlebars environment, so rendering the same view twice gives the same HTML
 * and costs no compilation. `{{ }}` escapes everything from a definition or a submission; the only
 * raw output (`{{{body}}}`) is in the reviewed layout.
 */
import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

let env: typeof Handlebars | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function environment(): typeof Handlebars {
  if (env) return env;
  const hb = Handlebars.create();
  const partialsDir = join(TEMPLATES_DIR, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(file.replace(/\.hbs$/, ''), hb.compile(readFileSync(join(partialsDir, file), 'utf8'), { strict: false, preventIndent: true }));
  }
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('inc', (i: unknown) => (typeof i === 'number' ? i + 1 : i));
  env = hb;
  return hb;
}

/** Render `templates/<name>.hbs` with `context`. */
export function render(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = environment().compile(readFileSync(join(TEMPLATES_DIR, `${name}.hbs`), 'utf8'), { preventIndent: true });
    compiled.set(name, template);
  }
  return template(context);
}

/** A whole page: the layout around a body rendered by `render`. */
export interface PageOptions {
  readonly script?: boolean;
  readonly validator?: string;
  /** The page offers downloads the server takes a while to make (unduh.js tells the user). */
  readonly downloads?: boolean;
  /** The signed-in account, shown with the logout button. */
  readonly viewer?: { readonly name: string; readonly roleTitle: string };
}

export function page(title: string, body: string, options: PageOptions = {}): string {
  // Indentation from the templates is dropped (runs of white space with a line break become one
  // line break): bytes on a weak connection, and nothing a browser shows.
  return render('layout', { title, body, script: options.script ?? false, validator: options.validator, downloads: options.downloads ?? false, viewer: options.viewer }).replace(/[ \t]*\n\s*/g, '\n');
}

/**
 * The browser code of offline use, built once per process by esbuild (already the pages'
 * minifier): the service worker, the outbox with the `idb` wrapper bundled in, and one reader per
 * form version. Sources keep their comments; phones get only the code.
 */
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FormModel } from '../../engine/index.js';

const BROWSER = fileURLToPath(new URL('./browser/', import.meta.url));
const STATIC = fileURLToPath(new URL('../static/', import.meta.url));
const READER_ENTRY = fileURLToPath(new URL('./reader-entry.ts', import.meta.url));
const TARGET = 'es2019';

let outbox: Promise<string> | undefined;
let worker: Promise<string> | undefined;
const readers = new Map<string, Promise<string>>();

/** The outbox ("Kotak Keluar"): IndexedDB through idb, the sending loop and the outbox page. */
export function outboxBundle(): Promise<string> {
  outbox ??= build({ entryPoints: [`${BROWSER}kotak.js`], bundle: true, minify: true, format: 'iife', target: TARGET, write: false, platform: 'browser', legalComments: 'none' })
    .then((r) => r.outputFiles[0]!.text);
  return outbox;
}

/**
 * The service worker with its asset version: a hash of every script and style it keeps, so a
 * server with changed pages' code serves a byte-different worker, the browser installs it, and it
 * replaces its copies of the shared files in one go.
 */
export function workerBundle(): Promise<string> {
  worker ??= (async () => {
    const h = createHash('sha256');
    for (const name of readdirSync(STATIC).sort()) h.update(name).update(readFileSync(`${STATIC}${name}`));
    h.update(await outboxBundle());
    const source = readFileSync(`${BROWSER}sw.js`, 'utf8');
    h.update(source);
    const version = h.digest('hex').slice(0, 12);
    const { code } = await transform(source, { loader: 'js', minify: true, target: TARGET, legalComments: 'none' });
    return `var LEMBAR_ASET=${JSON.stringify(version)};${code}`;
  })();
  return worker;
}

/** The model as the reader needs it: no raw schema, print layout or roll-up. */
function readerModel(model: FormModel): string {
  const { schema: _s, pdf: _p, rollup: _r, description: _d, ...rest } = model;
  return JSON.stringify({ ...rest, schema: {}, pdf: {} });
}

/** The reader of one form version, installing `LembarBaca["<id>@<hash>"]`. */
export function readerBundle(model: FormModel): Promise<string> {
  const key = `${model.id}@${model.hash}`;
  let hit = readers.get(key);
  if (!hit) {
    hit = build({
      stdin: { contents: `import { install } from ${JSON.stringify(READER_ENTRY)};\ninstall(${JSON.stringify(key)}, ${readerModel(model)});\n`, resolveDir: BROWSER, loader: 'ts' },
      bundle: true, minify: true, format: 'iife', target: TARGET, write: false, platform: 'browser', legalComments: 'none',
    }).then((r) => r.outputFiles[0]!.text);
    readers.set(key, hit);
  }
  return hit;
}

/**
 * The layering the code keeps: engine → generators → server, never back; the server reaches the
 * engine only through its public index; no module imports itself round a cycle.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a module (type-only ones too: a cycle of types is still a knot to read). */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => relative(ROOT, resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
}

const modules = ['engine', 'generators', 'server', 'demo'].flatMap((d) => files(join(ROOT, d)));
const graph = new Map(modules.map((f) => [relative(ROOT, f), importsOf(f)]));

describe('module layering', () => {
  it('the engine imports no generator or server module', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('engine/')).flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('engine/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('generators import no server module, and the server reaches the engine only through engine/index.ts', () => {
    const bad = [...graph].flatMap(([f, deps]) => deps.filter((d) =>
      (f.startsWith('generators/') && d.startsWith('server/'))
      || ((f.startsWith('server/') || f.startsWith('demo/')) && d.startsWith('engine/') && d !== 'engine/index.ts')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) if (graph.has(d)) walk(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) walk(f, []);
    expect(cycles).toEqual([]);
  });
});

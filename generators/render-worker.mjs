// The render pool's worker (piscina). Worker threads do not inherit a loader registered in the
// parent (tsx under `npm start`, vite under vitest), so the worker registers tsx itself and then
// loads the TypeScript task: the same code renders in the pool and in-process.
import { register } from 'tsx/esm/api';

register();
const { renderJob } = await import('./render-task.ts');

export default renderJob;

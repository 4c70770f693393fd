/** What every route needs: the store, the loaded forms and targets, and a logger. */
import type { FormModel, Store, TargetData } from '../engine/index.js';
import type { Auth } from './auth/auth.js';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface AppDeps {
  readonly store: Store;
  /** Accounts and sessions. */
  readonly auth: Auth;
  readonly forms: ReadonlyMap<string, FormModel>;
  /** Program targets a report may show (`forms/targets/`). */
  readonly targets?: ReadonlyMap<string, TargetData>;
  readonly log: Logger;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
}

/** JSON lines on stdout/stderr; quiet when LOG_LEVEL=silent. */
export function consoleLogger(): Logger {
  const silent = process.env.LOG_LEVEL === 'silent';
  const line = (level: string, msg: string, fields?: Record<string, unknown>) => JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  return {
    info: (msg, fields) => { if (!silent) console.log(line('info', msg, fields)); },
    error: (msg, fields) => { if (!silent) console.error(line('error', msg, fields)); },
  };
}

/**
 * Who a session is, remembered for a few seconds. Looking a session up through better-auth costs
 * about 1.3 ms of the event loop (signature check, two queries, hooks): more than a whole save of a
 * group card, and it was paid by every request. Entries live `TTL_MS` at most and are all dropped
 * whenever an account or session changes in this process (logout, deactivation, password reset or
 * change), so a change takes effect at once; the absolute session age is still checked per request.
 */
const TTL_MS = 20_000;
const MAX_ENTRIES = 20_000;

/** What is remembered: the account as access.ts reads it (kept opaque here, so no module loops back). */
interface Entry { readonly account: unknown; readonly createdAt: number; readonly until: number }
const entries = new Map<string, Entry>();

export function cachedSession(key: string, now = Date.now()): Entry | undefined {
  const hit = entries.get(key);
  if (!hit) return undefined;
  if (hit.until <= now) {
    entries.delete(key);
    return undefined;
  }
  return hit;
}

export function rememberSession(key: string, account: unknown, createdAt: number, now = Date.now()): void {
  // Oldest first out: a Map keeps insertion order.
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { account, createdAt, until: now + TTL_MS });
}

/** Who else must forget: the other server processes on the same database (see followSessions). */
const announcers = new Set<() => void>();

/** An account or session changed: every remembered session is looked up again, in every process. */
export function forgetSessions(): void {
  entries.clear();
  for (const announce of announcers) announce();
}

/**
 * Tell the other processes on this store's database when sessions change here, and forget when
 * they say so: a logout or a deactivation through one process takes effect in all of them.
 */
export function followSessions(store: { changes: { announce(c: { topic: 'sessions' }): Promise<void>; subscribe(fn: (c: { topic: string }) => void): () => void } }, onError: (message: string) => void): () => void {
  const announce = () => { store.changes.announce({ topic: 'sessions' }).catch((e: Error) => onError(`sessions change not announced: ${e.message}`)); };
  announcers.add(announce);
  const unsubscribe = store.changes.subscribe((c) => { if (c.topic === 'sessions') entries.clear(); });
  return () => { announcers.delete(announce); unsubscribe(); };
}

/**
 * What one server process tells the others on the same database, so that nothing a process keeps
 * in memory goes stale when another one changes the data behind it: a save (cached PDFs and CSVs
 * are keyed by the data revision), a published definition (the live registry of versions), an
 * ended session (the short session cache), imported regions (region names).
 *
 * SQLite is one server process per file: announcing is a no-op. PostgreSQL carries the
 * announcements with LISTEN/NOTIFY on one channel; each process listens on a connection of its own
 * and ignores its own announcements. A data change is announced inside the writing transaction
 * (postgres-writes.ts), so it is delivered exactly when the commit is, never before. When the
 * listening connection drops, every topic is handled as changed once it is back (announcements
 * sent in between are lost), so a gap never leaves a cache stale.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export type ChangeTopic = 'data' | 'definitions' | 'sessions' | 'regions';
export const CHANGE_TOPICS: readonly ChangeTopic[] = ['data', 'definitions', 'sessions', 'regions'];

/** An announcement: its topic and, where it helps the listener, what changed (a form id). */
export interface Change {
  readonly topic: ChangeTopic;
  readonly detail?: string;
}

export interface ChangeFeed {
  /** Tell the other processes; resolves once the database has taken the announcement. */
  announce(change: Change): Promise<void>;
  /** Called for every change another process announced (and for every topic after a gap). */
  subscribe(listener: (change: Change) => void): () => void;
  /** Resolves once announcements reach this process's subscribers (a catch-up read comes after it). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** One process per database: nobody to tell. */
export class LocalChangeFeed implements ChangeFeed {
  async announce(): Promise<void> {}
  subscribe(): () => void {
    return () => {};
  }
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

export const CHANNEL = 'lembar_perubahan';

/** The NOTIFY payload for a change from process `origin`. */
export const changePayload = (origin: string, change: Change) => JSON.stringify({ o: origin, t: change.topic, d: change.detail });

/**
 * LISTEN/NOTIFY. The listening connection is opened with the first subscriber (a script that never
 * subscribes holds none), and reopened after a drop with a growing pause.
 */
export class PostgresChangeFeed implements ChangeFeed {
  /** This process, so its own announcements are not handled twice. */
  readonly origin = randomUUID();
  private readonly listeners = new Set<(change: Change) => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryMs = 100;

  constructor(
    private readonly url: string,
    private readonly notify: (payload: string) => Promise<void>,
    private readonly onError: (message: string) => void,
  ) {}

  announce(change: Change): Promise<void> {
    return this.notify(changePayload(this.origin, change));
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    void this.listen();
    return () => this.listeners.delete(listener);
  }

  ready(): Promise<void> {
    return this.listen();
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => (this.connecting = undefined)));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (m) => {
      if (m.channel !== CHANNEL || !m.payload) return;
      let parsed: { o?: string; t?: ChangeTopic; d?: string };
      try {
        parsed = JSON.parse(m.payload);
      } catch {
        return;
      }
      if (parsed.o === this.origin || !parsed.t || !CHANGE_TOPICS.includes(parsed.t)) return;
      this.deliver({ topic: parsed.t, ...(parsed.d !== undefined ? { detail: parsed.d } : {}) });
    });
    const dropped = (e?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      if (this.closed) return;
      if (e) this.onError(`listening for changes stopped: ${e.message}`);
      setTimeout(() => void this.reconnect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on('error', dropped);
    client.on('end', () => dropped());
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => {});
      this.onError(`listening for changes failed: ${(e as Error).message}`);
      if (!this.closed) setTimeout(() => void this.reconnect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = 100;
  }

  private async reconnect(): Promise<void> {
    if (this.closed || !this.listeners.size) return;
    await this.listen();
    // Whatever was announced while no one listened is lost: treat everything as changed.
    if (this.client) for (const topic of CHANGE_TOPICS) this.deliver({ topic });
  }

  private deliver(change: Change): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        this.onError(`a change listener failed: ${(e as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => {});
    await client?.end().catch(() => {});
  }
}

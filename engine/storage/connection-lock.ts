/**
 * SQLite has one connection, shared by kysely's queries and the write queue's synchronous
 * executor. This lock is held by whichever uses it: kysely's driver takes it for every query or
 * transaction (the dialect below), the write queue for a whole batch, so nothing runs between a
 * batch's BEGIN and COMMIT. First come, first served. Taking a free lock needs no turn of the
 * event loop: `acquire()` returns nothing then, and a promise only when it has to wait.
 */
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

export class ConnectionLock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  acquire(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

class LockingSqliteDriver extends SqliteDriver {
  constructor(config: SqliteDialectConfig, private readonly lock: ConnectionLock) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.lock.release();
  }
}

/** kysely's SQLite dialect, its one connection guarded by `lock`. */
export class LockingSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig, private readonly lock: ConnectionLock) {
    super(config);
  }

  override createDriver(): Driver {
    return new LockingSqliteDriver(this.config, this.lock);
  }
}

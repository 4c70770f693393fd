/**
 * The background checkpointer's thread (see checkpointer.ts). Plain CommonJS on purpose: a worker
 * thread starts outside whatever TypeScript loader the main thread runs under (tsx, vitest).
 *
 * Its own connection runs a PASSIVE checkpoint every few milliseconds: WAL frames are copied into
 * the database file and that file is synced here, not on the thread that answers requests.
 * PASSIVE never waits for the writer and never makes it wait.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');

let timer;
let copied = 0;
function tick() {
  try {
    const [result] = checkpoint.all();
    if (result && result.checkpointed > copied) {
      parentPort.postMessage({ checkpointed: result.checkpointed });
    }
    copied = result ? result.checkpointed : 0;
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, workerData.everyMs);
}
timer = setTimeout(tick, workerData.everyMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});

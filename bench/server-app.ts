/** The load benchmark's real server: `start()` on a temporary database, without demo data. */
import { start } from '../server/main.js';

process.env.LOG_LEVEL = 'silent';
const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl: process.argv[2]!, demo: false });
console.log(JSON.stringify({ port: running.port }));
process.once('SIGTERM', () => { void running.stop().then(() => process.exit(0)); });

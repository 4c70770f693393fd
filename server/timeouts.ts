/**
 * How long the HTTP server waits for a client, and how many it serves at once. Node's defaults
 * (request timeout 5 minutes, headers 60 s checked every 30 s, no connection cap) let 50 slow
 * connections sit on the server for minutes. The numbers fit a phone on a weak link: a 2 MB
 * post (the body limit) at 2G's ~20 KB/s takes under two minutes; headers are a few hundred
 * bytes and get 20 seconds; an idle kept-alive connection is dropped after 10 seconds.
 */
import type { Server } from 'node:http';
import type { ServerOptions } from 'node:http';

export interface ConnectionLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** No byte in either direction for this long closes the socket (a stalled download); longer than a queued PDF takes. */
  readonly idleSocketMs: number;
  readonly maxConnections: number;
}

export function connectionLimits(env: NodeJS.ProcessEnv = process.env): ConnectionLimits {
  const n = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isSafeInteger(v) && v > 0 ? v : fallback;
  };
  return {
    headersTimeoutMs: n('HEADERS_TIMEOUT_MS', 20_000),
    requestTimeoutMs: n('REQUEST_TIMEOUT_MS', 120_000),
    keepAliveTimeoutMs: n('KEEP_ALIVE_TIMEOUT_MS', 10_000),
    idleSocketMs: n('IDLE_SOCKET_MS', 90_000),
    maxConnections: n('MAX_CONNECTIONS', 500),
  };
}

/** Options for `http.createServer`: the timeouts are checked every second, not every 30. */
export function serverOptions(limits: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
}

/** What `createServer` options do not cover: the socket idle timeout and the connection cap. */
export function applyLimits(server: Server, limits: ConnectionLimits): void {
  server.setTimeout(limits.idleSocketMs, (socket) => socket.destroy());
  // Past the cap Node closes new connections at once, which a phone retries; the ones served
  // keep their share of two cores.
  server.maxConnections = limits.maxConnections;
}

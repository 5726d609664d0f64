import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (a database): it counts what goes through it,
 * so a test can prove a request did or did not reach the server, and can make the server
 * unreachable on demand.
 */
export interface TcpProxy {
  /** Port it listens on (127.0.0.1). */
  readonly port: number;
  /** Connections accepted so far: a client that never connected to the server is 0 here. */
  readonly accepted: number;
  /** Bytes clients sent through it so far. */
  readonly bytesIn: number;
  /**
   * Drops every open connection (both ends reset) and stops listening: new connections to
   * {@link port} are refused, as if the server went away. Safe to call again.
   */
  cut(): Promise<void>;
  /** Ends every connection and stops listening (clean shutdown at the end of a test). */
  close(): Promise<void>;
}

/** Starts a {@link TcpProxy} to `host:port` on a free loopback port. */
export async function startTcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let bytesIn = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = createConnection({ host: target.host, port: target.port });
    client.on('data', (chunk: Buffer) => void (bytesIn += chunk.length));
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // Errors end the pair; the peers see them as a reset or an early end.
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  let closed: Promise<void> | undefined;
  const stop = () => (closed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    get bytesIn() {
      return bytesIn;
    },
    cut() {
      const done = stop();
      // A reset (not a clean FIN): the driver sees the connection die, not a polite goodbye.
      for (const s of sockets) {
        if (s.connecting) s.destroy();
        else s.resetAndDestroy();
      }
      return done;
    },
    close() {
      const done = stop();
      for (const s of sockets) s.destroy();
      return done;
    },
  };
}

import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy in front of a server, to make it unreachable on demand. */
export interface TcpProxy {
  /** Port it listens on (127.0.0.1). */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /**
   * Drops every open connection (both ends reset) and stops listening: new connections to
   * {@link port} are refused, as if the server went away. Safe to call again.
   */
  cut(): Promise<void>;
}

/** Starts a {@link TcpProxy} to `host:port` on a free loopback port. */
export async function startTcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = createConnection({ host: target.host, port: target.port });
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
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    cut() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      // A reset (not a clean FIN): the driver sees the connection die, not a polite goodbye.
      for (const s of sockets) {
        if (s.connecting) s.destroy();
        else s.resetAndDestroy();
      }
      return closed;
    },
  };
}

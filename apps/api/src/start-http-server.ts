import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Closable } from '@hfit/queue';

/** A listening HTTP server. */
export interface RunningHttpServer {
  readonly server: Server;
  /** `http://host:port` (IPv6 hosts in brackets), with the actual port when 0 was asked for. */
  readonly url: string;
  /**
   * Shutdown step for `closeAll`: stop accepting connections and let requests in progress finish
   * (idle keep-alive connections are closed at once); forcing drops every connection, downloads
   * in progress included.
   */
  readonly closable: Closable;
}

/** Options of {@link startHttpServer}. */
export interface StartHttpServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Starts `app` on `host:port`; rejects when the port cannot be bound (in use, no permission). */
export async function startHttpServer(app: RequestListener, options: StartHttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(app);
  // Requests in progress per connection. server.close() only drops the keep-alive connections idle
  // at that moment (and not those that never sent a request); one whose request finishes later
  // would hold the close until its keep-alive timeout. So, once closing, every connection is ended
  // as soon as it has no request in progress.
  const active = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    res.once('close', () => {
      if (!active.has(socket)) return;
      const left = active.get(socket)! - 1;
      active.set(socket, left);
      if (closing && left === 0) socket.destroySoon();
    });
  });
  const endIdle = (): void => {
    for (const [socket, n] of active) if (n === 0) socket.destroySoon();
  };
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const url = urlOf(server.address() as AddressInfo);
  return {
    server,
    url,
    closable: {
      name: `http server ${url}`,
      close: () =>
        new Promise<void>((resolve, reject) => {
          closing = true;
          server.close((err) => (err === undefined ? resolve() : reject(err)));
          endIdle();
        }),
      forceClose: async () => {
        for (const socket of active.keys()) socket.destroy();
        server.closeAllConnections();
      },
    },
  };
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { ConfigError } from '../errors/errors.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0 = any free port) and resolves once accepting connections. */
export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    // Express 5 calls back with the listen error too (EADDRINUSE, EACCES): refuse with a message, not a TypeError.
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) {
        reject(listenError(error, host, port));
        return;
      }
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
    server.on('error', (error) => reject(listenError(error, host, port)));
  });
}

/** What the operator can do about a socket that cannot be opened. */
function listenError(error: Error & { code?: string }, host: string, port: number): Error {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(
      `cannot listen on ${where}: the port is in use by another process. Stop it, or pick another port (--port or PORT).`,
    );
  }
  if (error.code === 'EACCES') {
    return new ConfigError(
      `cannot listen on ${where}: permission denied (ports below 1024 need privileges). Use a port above 1024 behind your proxy.`,
    );
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return new ConfigError(`cannot listen on ${where}: no network interface has that address. Check --host or HOST.`);
  }
  return error;
}

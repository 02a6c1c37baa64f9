import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Closewise LWC preview</title>
<link rel="icon" href="data:,">
<style>
  body { margin: 0; padding: 1rem; background: #f3f3f3; color: #181818;
    font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 0.8125rem; line-height: 1.5; }
  #root { max-width: 26rem; }
</style>
</head>
<body>
<div id="root"></div>
<script src="/bundle.js"></script>
</body>
</html>`;

/** Serves the preview page at / (any query) and the LWC bundle at /bundle.js on 127.0.0.1, a free port. */
export async function serveLwcPreview(bundle: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

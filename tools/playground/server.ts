import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Site } from './build.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** A running playground server and its address. */
export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the site on 127.0.0.1 with Node's http module (WebGPU needs a secure context, which
 * 127.0.0.1 is). `site()` is asked again for every page load, so a reload shows the student's latest
 * code; when the build fails its message is the page.
 */
export async function servePlayground(options: {
  site: () => Promise<Site>;
  port?: number;
}): Promise<PlaygroundServer> {
  let current: Site = new Map();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const name =
        decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '') ||
        'index.html';
      if (name === 'index.html') {
        try {
          current = await options.site();
        } catch (error) {
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(`The playground could not be built from your code:\n\n${(error as Error).message}\n`);
          return;
        }
      }
      const body = current.get(name);
      if (!body) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`not found: /${name}\n`);
        return;
      }
      response.writeHead(200, {
        'content-type': types[path.extname(name)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      response.end(body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

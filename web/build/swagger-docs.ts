import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

// The interactive API reference at /docs: Swagger UI, copied from the swagger-ui-dist package
// into dist/docs so the binary serves it itself (no CDN). The server's Content-Security-Policy
// forbids inline script, so the page loads its initialiser from init.js.

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const indexHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gatehouse API reference</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="./swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./swagger-ui-bundle.js"></script>
    <script src="./init.js"></script>
  </body>
</html>
`;

const initJs = `window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

function docsFiles(): Record<string, string | Buffer> {
  return {
    'index.html': indexHtml,
    'init.js': initJs,
    'swagger-ui-bundle.js': readFileSync(join(swaggerDir, 'swagger-ui-bundle.js')),
    'swagger-ui.css': readFileSync(join(swaggerDir, 'swagger-ui.css')),
  };
}

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** swaggerDocs emits dist/docs/* at build time and serves the same files from the dev server. */
export function swaggerDocs(): Plugin {
  return {
    name: 'gatehouse:swagger-docs',
    generateBundle() {
      for (const [name, source] of Object.entries(docsFiles())) {
        this.emitFile({ type: 'asset', fileName: `docs/${name}`, source });
      }
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (path !== '/docs' && !path.startsWith('/docs/')) return next();
        const name = path.replace(/^\/docs\/?/, '') || 'index.html';
        const files = docsFiles();
        // Own keys only: "/docs/constructor" must not find Object.prototype's.
        const file = Object.hasOwn(files, name) ? files[name] : undefined;
        if (file === undefined) return next();
        res.setHeader('Content-Type', contentTypes[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.end(file);
      });
    },
  };
}

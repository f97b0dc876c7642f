import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { swaggerDocs } from './build/swagger-docs.ts';

// In development the Vite dev server serves the app and proxies the API to a running
// gatehouse (GATEHOUSE_API, default http://localhost:8000), so both share one origin as they
// do in production and the session cookie works unchanged.
const api = process.env.GATEHOUSE_API ?? 'http://localhost:8000';
const proxied = ['/api', '/openapi.json', '/.well-known', '/healthz', '/readyz'];

export default defineConfig({
  plugins: [react(), swaggerDocs()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    // dist/.gitkeep is committed (the Go embed needs the folder); the build script restores it.
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});

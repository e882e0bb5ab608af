import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildBasemap } from './scripts/basemap.js';

const BASEMAP = 'virtual:basemap';

/** `virtual:basemap`: the offline vector basemap, built from npm data packages at build time. */
function basemap(): Plugin {
  let cached: string | undefined;
  return {
    name: 'openkam-basemap',
    resolveId: (id) => (id === BASEMAP ? `\0${BASEMAP}` : undefined),
    load(id) {
      if (id !== `\0${BASEMAP}`) return undefined;
      // JSON.parse of a string literal parses faster than the equivalent object literal.
      cached ??= `export default JSON.parse(${JSON.stringify(JSON.stringify(buildBasemap(0.03)))});`;
      return cached;
    },
  };
}

const apiTarget = process.env.OPENKAM_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: false,
  plugins: [react(), basemap()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});

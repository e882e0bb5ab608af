import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildCell, buildOverview, CELL_DEG, cellKeys, DETAIL_BOX, DETAIL_ZOOM } from './scripts/basemap.js';

const BASEMAP = 'virtual:basemap';

/**
 * The offline vector basemap, built from npm data packages at build time (scripts/basemap.ts):
 * `virtual:basemap` is a small index whose overview and detail cells are separate chunks, each
 * loaded only when a map needs it.
 */
function basemap(): Plugin {
  const cache = new Map<string, string>();
  // JSON.parse of a string literal parses faster than the equivalent object literal.
  const json = (data: unknown) => `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});`;
  const index = () => {
    const cells = cellKeys().map((k) => `  ${JSON.stringify(k)}: () => import(${JSON.stringify(`${BASEMAP}/cell/${k}`)}),`).join('\n');
    return [
      `export const cellDeg = ${CELL_DEG};`,
      `export const detailZoom = ${DETAIL_ZOOM};`,
      `export const detailBox = ${JSON.stringify(DETAIL_BOX)};`,
      `export const overview = () => import(${JSON.stringify(`${BASEMAP}/overview`)});`,
      `export const cells = {\n${cells}\n};`,
    ].join('\n');
  };
  return {
    name: 'openkam-basemap',
    resolveId: (id) => (id === BASEMAP || id.startsWith(`${BASEMAP}/`) ? `\0${id}` : undefined),
    load(id) {
      if (!id.startsWith(`\0${BASEMAP}`)) return undefined;
      const sub = id.slice(BASEMAP.length + 1);
      let code = cache.get(sub);
      if (code === undefined) {
        const cell = /^\/cell\/(-?\d+_-?\d+)$/.exec(sub);
        code = sub === '' ? index() : sub === '/overview' ? json(buildOverview()) : cell ? json(buildCell(cell[1]!)) : undefined;
        if (code === undefined) return undefined;
        cache.set(sub, code);
      }
      return code;
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

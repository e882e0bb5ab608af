/// <reference types="vite/client" />

/** The offline basemap (vite.config.ts, scripts/basemap.ts): an index of lazily loaded chunks. */
declare module 'virtual:basemap' {
  type Path = number[];
  type PlaceRow = [number, number, number, string, string];
  type Layer = { q: number; land: Path[][]; borders: Path[]; provinces: Path[]; places: PlaceRow[] };
  export const cellDeg: number;
  export const detailZoom: number;
  export const detailBox: [number, number, number, number];
  export const overview: () => Promise<{ default: Layer & { landInner: Path[][]; bordersInner: Path[] } }>;
  export const cells: Record<string, () => Promise<{ default: Layer }>>;
}

/// <reference types="vite/client" />

declare module 'virtual:basemap' {
  import type { FeatureCollection } from 'geojson';
  const basemap: { land: FeatureCollection; provinces: FeatureCollection };
  export default basemap;
}

import L from 'leaflet';
import { addTextAttribution } from './map-text.js';

/**
 * Puts the basemap under a Leaflet map: the configured tile server, or else the vector data shipped
 * with the app (countries and China's provinces), so maps work with no network. Returns a cleanup.
 */
export function addBasemap(m: L.Map, tileUrl: string | null, onAttribution: (add: boolean) => void): () => void {
  let cancelled = false;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(m);
  } else {
    void import('virtual:basemap').then(({ default: basemap }) => {
      if (cancelled) return;
      m.createPane('basemap').style.zIndex = '200';
      L.geoJSON(basemap.land, { pane: 'basemap', interactive: false, style: { color: '#9aa5b1', weight: 0.7, fillColor: '#f3f1ea', fillOpacity: 1 } }).addTo(m);
      L.geoJSON(basemap.provinces, { pane: 'basemap', interactive: false, style: { color: '#b3bcc8', weight: 0.8, fillColor: '#faf9f5', fillOpacity: 1 } }).addTo(m);
      onAttribution(true);
    });
  }
  return () => { cancelled = true; };
}

export type BaseMap = { map: L.Map; relabel(attribution: string): void; remove(): void };

/**
 * A Leaflet map as every OpenKAM map starts: translated zoom buttons, the basemap (offline vectors
 * or the configured tiles) and, unless `credit` is false, its attribution line. `relabel` swaps the
 * attribution when the interface language changes; `remove` tears everything down.
 */
export function createBaseMap(el: HTMLElement, o: {
  tileUrl: string | null; maxOfflineZoom: number; center: L.LatLngExpression; zoom: number;
  labels: { zoomIn: string; zoomOut: string; attribution: string }; credit?: boolean;
}): BaseMap {
  const m = L.map(el, { zoomControl: false, attributionControl: false, minZoom: 2, maxZoom: o.tileUrl ? 18 : o.maxOfflineZoom, worldCopyJump: true });
  L.control.zoom({ zoomInTitle: o.labels.zoomIn, zoomOutTitle: o.labels.zoomOut }).addTo(m);
  const control = o.credit === false ? null : L.control.attribution({ prefix: false }).addTo(m);
  m.setView(o.center, o.zoom);
  let shown: string | null = null;
  let removeShown = () => {};
  const show = (attribution: string) => {
    if (!control) return;
    removeShown();
    shown = attribution;
    removeShown = addTextAttribution(control, attribution);
  };
  const stop = addBasemap(m, o.tileUrl, () => show(o.labels.attribution));
  return {
    map: m,
    relabel(attribution) {
      if (shown === null || shown === attribution) return;
      show(attribution);
    },
    remove() { stop(); m.remove(); },
  };
}

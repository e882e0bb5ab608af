import L from 'leaflet';
import './basemap.css';
import { cellsIn, decodePath, placeLabels, placeName, placePriority, shownAt, type BasemapLayer, type BBox, type PlaceRow } from './basemap-data.js';
import { addTextAttribution, textIcon } from './map-text.js';

const LAND = { stroke: false, fillColor: '#f4f1e8', fillOpacity: 1, interactive: false } as const;
const COUNTRY = { color: '#8d8aa0', weight: 1.1, opacity: 0.9, interactive: false } as const;
const PROVINCE = { color: '#a39cbd', weight: 1.2, opacity: 0.9, dashArray: '6 4', interactive: false } as const;

type Offline = { setLanguage(lang: string): void; stop(): void };

/** Land, borders and province borders of one layer of the basemap data. */
function drawLayer(data: BasemapLayer, renderer: L.Renderer, inner?: { land: number[][][]; borders: number[][] }): { all: L.LayerGroup; inner: L.LayerGroup } {
  const all = L.layerGroup();
  const innerGroup = L.layerGroup();
  const land = (polys: number[][][], to: L.LayerGroup) => {
    for (const rings of polys) L.polygon(rings.map((r) => decodePath(r, data.q)), { ...LAND, renderer }).addTo(to);
  };
  const lines = (paths: number[][], style: L.PolylineOptions, to: L.LayerGroup) => {
    if (paths.length) L.polyline(paths.map((p) => decodePath(p, data.q)), { ...style, renderer }).addTo(to);
  };
  land(data.land, all);
  lines(data.borders, COUNTRY, all);
  if (inner) {
    land(inner.land, innerGroup);
    lines(inner.borders, COUNTRY, innerGroup);
    lines(data.provinces, PROVINCE, innerGroup);
  } else lines(data.provinces, PROVINCE, all);
  return { all, inner: innerGroup };
}

let measurer: CanvasRenderingContext2D | null | undefined;
/** The width in pixels of a label (measured on a canvas in the map's font; estimated where there is none). */
function textWidth(text: string, px: number, weight: number, font: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? px : px * 0.58), 0);
  measurer.font = `${weight} ${px}px ${font}`;
  return measurer.measureText(text).width;
}
const labelFont: Record<number, [number, number]> = { 0: [13, 500], 1: [14, 700], 2: [13, 600], 3: [12, 400], 4: [11, 400] };

/**
 * The basemap drawn from the data shipped with the app: an overview (land, borders, provinces and
 * major cities) and, from the detail zoom on, 1:10m land with counties and towns for the cells in
 * view, each a chunk loaded when first needed. Place names follow the interface language and give
 * way to each other so that none overlap.
 */
function offlineBasemap(m: L.Map, initialLang: string, onReady: () => void): Offline {
  let lang = initialLang;
  let stopped = false;
  m.createPane('basemap').style.zIndex = '200';
  // Above the hazard areas (350), below the sites and routes (overlay pane, 400).
  m.createPane('basemap-labels').style.zIndex = '380';
  const renderer = L.svg({ pane: 'basemap', padding: 0.3 });
  const labels = L.layerGroup().addTo(m);
  const font = getComputedStyle(m.getContainer()).fontFamily || 'sans-serif';

  let index: typeof import('virtual:basemap') | null = null;
  let overview: { places: PlaceRow[]; inner: L.LayerGroup } | null = null;
  const cells = new Map<string, { data: BasemapLayer; layer: L.LayerGroup } | 'loading'>();

  const drawLabels = () => {
    labels.clearLayers();
    if (!overview) return;
    const z = m.getZoom();
    const size = m.getSize();
    const places = [...overview.places];
    for (const c of cells.values()) if (c !== 'loading' && m.hasLayer(c.layer)) places.push(...c.data.places);
    const shown = places.filter((p) => shownAt(p[2], z));
    const kept = placeLabels(shown, (p) => placePriority(p[2]), (p) => {
      const pt = m.latLngToContainerPoint([p[1], p[0]]);
      if (pt.x < -40 || pt.y < -20 || pt.x > size.x + 40 || pt.y > size.y + 20) return null;
      const [px, weight] = labelFont[p[2]] ?? [12, 400];
      const w = textWidth(placeName(p, lang), px, weight, font) + (p[2] === 0 ? 0 : 10);
      const h = px + 2;
      return p[2] === 0 ? { x: pt.x - w / 2, y: pt.y - h / 2, w, h } : { x: pt.x - 4, y: pt.y - h / 2, w, h };
    });
    for (const { place: p, box } of kept) {
      const anchor: [number, number] = p[2] === 0 ? [box.w / 2, box.h / 2] : [4, box.h / 2];
      L.marker([p[1], p[0]], {
        icon: textIcon(placeName(p, lang), { className: `ok-place ok-place-${p[2]}`, iconSize: null as unknown as L.PointExpression, iconAnchor: anchor }),
        pane: 'basemap-labels', interactive: false, keyboard: false,
      }).addTo(labels);
    }
  };

  const update = () => {
    if (stopped || !index || !overview) return;
    const z = m.getZoom();
    let ready = true;
    const wanted = new Set<string>();
    if (z >= index.detailZoom) {
      const b = m.getBounds().pad(0.05);
      const box: BBox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
      for (const key of cellsIn(box, index.cellDeg)) {
        const load = index.cells[key];
        if (!load) continue;
        wanted.add(key);
        const c = cells.get(key);
        if (c === undefined) {
          cells.set(key, 'loading');
          void load().then(({ default: data }) => {
            if (stopped) return;
            cells.set(key, { data, layer: drawLayer(data, renderer).all });
            update();
          }, () => cells.delete(key));
        }
        if (c === undefined || c === 'loading') ready = false;
      }
    }
    for (const [key, c] of cells) {
      if (c === 'loading') continue;
      if (wanted.has(key)) c.layer.addTo(m);
      else c.layer.remove();
    }
    // The overview's land near China stays until the detail cells in view have arrived.
    if (z >= index.detailZoom && ready) overview.inner.remove();
    else overview.inner.addTo(m);
    drawLabels();
  };

  void import('virtual:basemap').then(async (idx) => {
    const { default: data } = await idx.overview();
    if (stopped) return;
    index = idx;
    const drawn = drawLayer(data, renderer, { land: data.landInner, borders: data.bordersInner });
    drawn.all.addTo(m);
    overview = { places: data.places, inner: drawn.inner };
    m.on('zoomend moveend resize', update);
    update();
    onReady();
  });

  return {
    setLanguage(next) {
      if (next === lang) return;
      lang = next;
      drawLabels();
    },
    stop() {
      stopped = true;
      m.off('zoomend moveend resize', update);
    },
  };
}

/**
 * Puts the basemap under a Leaflet map: the configured tile server, or else the vector data shipped
 * with the app (land, borders, provinces and place names), so maps work with no network. Returns
 * what switches the place names' language and what stops it.
 */
export function addBasemap(m: L.Map, tileUrl: string | null, lang: string, onAttribution: (add: boolean) => void): Offline {
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(m);
    return { setLanguage() {}, stop() {} };
  }
  return offlineBasemap(m, lang, () => onAttribution(true));
}

export type BaseMap = { map: L.Map; relabel(attribution: string, lang?: string): void; remove(): void };

/**
 * A Leaflet map as every OpenKAM map starts: translated zoom buttons, the basemap (offline vectors
 * or the configured tiles) and, unless `credit` is false, its attribution line. `relabel` swaps the
 * attribution and the place names' language when the interface language changes; `remove` tears
 * everything down.
 */
export function createBaseMap(el: HTMLElement, o: {
  tileUrl: string | null; maxOfflineZoom: number; center: L.LatLngExpression; zoom: number; lang?: string;
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
  const base = addBasemap(m, o.tileUrl, o.lang ?? document.documentElement.lang ?? 'en', () => show(o.labels.attribution));
  return {
    map: m,
    relabel(attribution, lang) {
      if (lang) base.setLanguage(lang);
      if (shown === null || shown === attribution) return;
      show(attribution);
    },
    // A pan or zoom still animating would run on the removed map: stopped first.
    remove() { base.stop(); m.stop(); m.remove(); },
  };
}

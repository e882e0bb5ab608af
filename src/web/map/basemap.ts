import L from 'leaflet';

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

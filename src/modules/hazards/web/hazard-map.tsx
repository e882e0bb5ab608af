/** The hazard map: warning areas by severity, typhoon track and wind swaths, sites by exposure, on the offline basemap. */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { type BaseMap, createBaseMap } from '../../../web/map/basemap.js';
import { type ClusterTone, clusterGroup } from '../../../web/map/cluster.js';
import { bindTextTooltip } from '../../../web/map/map-text.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { exposureColor, severityColor, swathColor, type Exposure } from './hazards-ui.js';

export type MapArea = { id: string; severity: string | null; label: string; geojson: { type: 'FeatureCollection'; features: unknown[] } };
export type MapSwath = { kt: 34 | 50 | 64; feature: unknown };
export type MapSite = { id: string; name: string; detail: string; lat: number; lng: number; exposure: Exposure | 'muted' };

export type HazardMapProps = {
  tileUrl: string | null;
  areas?: MapArea[];
  swaths?: MapSwath[];
  track?: { lat: number; lng: number }[] | null;
  /** The track still to come (a current storm's forecast), drawn dashed after `track`. */
  forecast?: { lat: number; lng: number }[] | null;
  center?: { lat: number; lng: number } | null;
  sites: MapSite[];
  /** When this changes the map fits the hazards (or the sites at risk) again. */
  fitKey: string;
  height?: number;
  testId?: string;
};

const boundsOf = (layers: L.Layer[]): L.LatLngBounds | null => {
  let b: L.LatLngBounds | null = null;
  for (const l of layers) {
    const lb = 'getBounds' in l ? (l as L.FeatureGroup).getBounds() : 'getLatLng' in l ? L.latLngBounds([(l as L.CircleMarker).getLatLng()]) : null;
    if (lb?.isValid()) b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
  }
  return b;
};

const toneOrder: ClusterTone[] = ['inside', 'buffer', 'safe', 'muted'];

export default function HazardMap({ tileUrl, areas = [], swaths = [], track = null, forecast = null, center = null, sites, fitKey, height, testId = 'hazard-map' }: HazardMapProps) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const groups = useRef<{ hazards: L.FeatureGroup; sites: L.FeatureGroup; clustered: L.MarkerClusterGroup; center: L.FeatureGroup } | null>(null);
  const base = useRef<BaseMap | null>(null);
  const fitted = useRef<string | null>(null);
  const fittedBounds = useRef<L.LatLngBounds | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 12, center: [30, 118], zoom: 5, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') } });
    const m = b.map;
    base.current = b;
    map.current = m;
    m.createPane('hazards').style.zIndex = '350';
    // Sites inside a warning area sit above everything else, clusters included.
    m.createPane('sites-inside').style.zIndex = '640';
    // Sites inside a warning area are always drawn one by one; the others cluster, coloured by the worst exposure among them.
    const clustered = clusterGroup({ tone: (ms) => toneOrder.find((x) => ms.some((mk) => (mk.options as { exposure?: string }).exposure === x)) ?? 'default' });
    groups.current = { hazards: L.featureGroup().addTo(m), sites: L.featureGroup().addTo(m), clustered: clustered.addTo(m), center: L.featureGroup().addTo(m) };
    // The container may be laid out after the map is created (drawers, tabs).
    // A map opened in a drawer or a tab is sized after it is drawn: fit the hazards again then.
    let lastWidth = el.current.clientWidth;
    const ro = new ResizeObserver(() => {
      m.invalidateSize();
      const w = el.current?.clientWidth ?? 0;
      if (Math.abs(w - lastWidth) > 40 && fittedBounds.current) m.fitBounds(fittedBounds.current, { maxZoom: 8, animate: false });
      lastWidth = w;
    });
    ro.observe(el.current);
    return () => { ro.disconnect(); b.remove(); base.current = null; map.current = null; groups.current = null; fitted.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    base.current?.relabel(t('map.attribution'), i18n.language);
  }, [t, i18n.language]);

  useEffect(() => {
    const m = map.current;
    const g = groups.current;
    if (!m || !g) return;
    g.hazards.clearLayers();
    g.sites.clearLayers();
    g.clustered.clearLayers();
    const hazardLayers: L.Layer[] = [];
    const areaLayers: L.Layer[] = [];
    // The overlapping hulls of a swath are one path filled non-zero, so the union shows evenly. Widest winds first, so the stronger swaths sit on top.
    for (const s of [...swaths].sort((a, b) => a.kt - b.kt)) {
      // Light enough that the land, the places and the warnings under a wide swath stay readable.
      const layer = bindTextTooltip(L.geoJSON(s.feature as GeoJSON.Feature, { pane: 'hazards', style: { stroke: false, fillColor: swathColor[s.kt], fillOpacity: 0.14, fillRule: 'nonzero', className: `ok-swath ok-swath-${s.kt}` } }),
        t('hazards.map.swath', { kt: s.kt }), { sticky: true });
      layer.addTo(g.hazards);
      hazardLayers.push(layer);
    }
    if (track && track.length) {
      const line = L.polyline(track.map((p) => [p.lat, p.lng] as [number, number]), { pane: 'hazards', color: '#343a40', weight: forecast ? 3 : 2, dashArray: forecast ? undefined : '6 4', interactive: false, className: 'ok-track' });
      line.addTo(g.hazards);
      hazardLayers.push(line);
    }
    if (forecast && forecast.length > 1) {
      const line = L.polyline(forecast.map((p) => [p.lat, p.lng] as [number, number]), { pane: 'hazards', color: '#343a40', weight: 2, dashArray: '6 5', interactive: false, className: 'ok-track-forecast' });
      line.addTo(g.hazards);
      hazardLayers.push(line);
    }
    for (const a of areas) {
      const color = severityColor[a.severity ?? 'Unknown'] ?? severityColor.Unknown!;
      // Each area names itself under the warning's label (its event and areaDesc, from the CAP message).
      const layer = L.geoJSON(a.geojson as GeoJSON.FeatureCollection, {
        pane: 'hazards', style: { color, weight: 2, fillColor: color, fillOpacity: 0.22, className: 'ok-warning-area' },
        onEachFeature: (f, l) => {
          const own = (f.properties as { label?: unknown } | null)?.label;
          const lines = [a.label, typeof own === 'string' ? own : ''].filter((x, i, all) => x !== '' && all.indexOf(x) === i);
          bindTextTooltip(l, lines, { sticky: true });
        },
      });
      layer.addTo(g.hazards);
      areaLayers.push(layer);
    }
    const order: Record<MapSite['exposure'], number> = { muted: 0, safe: 1, buffer: 2, inside: 3 };
    const atRisk: L.Layer[] = [];
    for (const s of [...sites].sort((a, b) => order[a.exposure] - order[b.exposure])) {
      const risky = s.exposure === 'inside' || s.exposure === 'buffer';
      const marker = bindTextTooltip(L.circleMarker([s.lat, s.lng], {
        ...(s.exposure === 'inside' ? { pane: 'sites-inside' } : {}),
        radius: risky ? 8 : 5, color: '#fff', weight: risky ? 2 : 1,
        fillColor: s.exposure === 'muted' ? '#adb5bd' : exposureColor[s.exposure], fillOpacity: 0.95, className: `ok-site-marker ok-site-${s.exposure}`,
        exposure: s.exposure,
      } as L.CircleMarkerOptions), `${s.name} · ${s.detail}`, { direction: 'top', offset: [0, -6] });
      if (s.exposure === 'inside') marker.addTo(g.sites);
      else g.clustered.addLayer(marker);
      if (risky) atRisk.push(marker);
    }
    if (fitted.current !== fitKey) {
      // Warnings in force first: they are what matters now; then the storm, then the sites at risk.
      const b = boundsOf(areaLayers) ?? boundsOf(hazardLayers) ?? boundsOf(atRisk) ?? (sites.length ? L.latLngBounds(sites.map((s) => [s.lat, s.lng] as [number, number])) : null);
      if (b?.isValid()) {
        fittedBounds.current = b.pad(0.15);
        m.fitBounds(fittedBounds.current, { maxZoom: 8, animate: false });
        fitted.current = fitKey;
      }
    }
  }, [areas, swaths, track, forecast, sites, fitKey, t]);

  useEffect(() => {
    const g = groups.current;
    if (!g) return;
    g.center.clearLayers();
    if (center) {
      bindTextTooltip(L.circleMarker([center.lat, center.lng], { pane: 'hazards', radius: 9, color: '#212529', weight: 3, fillColor: '#fff', fillOpacity: 1, className: 'ok-storm-centre' }),
        t('hazards.map.stormCentre')).addTo(g.center);
    }
  }, [center, t]);

  return <div ref={el} className="ok-map" style={height ? { height } : undefined} data-testid={testId} role="region" aria-label={t('hazards.map.label')} />;
}

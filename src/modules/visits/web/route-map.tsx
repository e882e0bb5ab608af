import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { type BaseMap, createBaseMap } from '../../../web/map/basemap.js';
import { clusterGroup } from '../../../web/map/cluster.js';
import { bindTextTooltip, textIcon } from '../../../web/map/map-text.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export type MapStop = { key: string; position: number; lat: number; lng: number; label: string };
export type RouteMapProps = {
  base: { lat: number; lng: number; label: string };
  stops: MapStop[];
  /** The proposed order, drawn dashed over the current one. */
  proposed?: MapStop[] | null;
  tileUrl: string | null;
};

/**
 * A day's route: the base, the stops numbered in visiting order and the path from the base through
 * the stops and back, on the offline basemap (or a tile server when one is configured).
 */
export default function RouteMap({ base, stops, proposed, tileUrl }: RouteMapProps) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const stopLayer = useRef<L.MarkerClusterGroup | null>(null);
  const baseMap = useRef<BaseMap | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 13, center: [base.lat, base.lng], zoom: 9, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') } });
    baseMap.current = b;
    map.current = b.map;
    layer.current = L.layerGroup().addTo(b.map);
    // Stops at the same address would hide each other: they join a numbered cluster that opens on a click.
    stopLayer.current = clusterGroup({ radius: 22 }).addTo(b.map);
    return () => { b.remove(); baseMap.current = null; map.current = null; layer.current = null; stopLayer.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    baseMap.current?.relabel(t('map.attribution'), i18n.language);
  }, [t, i18n.language]);

  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    const stopsLayer = stopLayer.current;
    if (!m || !g || !stopsLayer) return;
    g.clearLayers();
    stopsLayer.clearLayers();
    const path = (list: MapStop[]) => [[base.lat, base.lng], ...[...list].sort((a, b) => a.position - b.position).map((s) => [s.lat, s.lng]), [base.lat, base.lng]] as [number, number][];
    L.polyline(path(stops), { color: '#1457aa', weight: 4, opacity: 0.85, className: 'ok-route-path' }).addTo(g);
    if (proposed) L.polyline(path(proposed), { color: '#d9480f', weight: 4, opacity: 0.9, dashArray: '8 8', className: 'ok-route-proposed' }).addTo(g);
    const marker = (lat: number, lng: number, symbol: string, cls: string, title: string, to: L.LayerGroup) =>
      to.addLayer(bindTextTooltip(L.marker([lat, lng], { icon: textIcon(symbol, { className: `ok-stop-marker ${cls}`, iconSize: [26, 26] }), title, keyboard: false }),
        title, { direction: 'top', offset: [0, -12] }));
    marker(base.lat, base.lng, '⌂', 'is-base', t('visits.route.base', { label: base.label }), g);
    for (const s of proposed ?? stops) marker(s.lat, s.lng, String(s.position), proposed ? 'is-proposed' : '', `${s.position}. ${s.label}`, stopsLayer);
    const points = path(stops);
    m.fitBounds(L.latLngBounds(points), { padding: [36, 36], maxZoom: 12, animate: false });
  }, [base, stops, proposed, t]);

  return <div ref={el} className="ok-route-map" data-testid="route-map" role="region" aria-label={t('visits.route.mapLabel')} />;
}

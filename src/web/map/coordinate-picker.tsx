import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type BaseMap, createBaseMap } from './basemap.js';

export type CoordinatePickerProps = { lat: number | null; lng: number | null; tileUrl: string | null; onPick: (lat: number, lng: number) => void };

const round = (x: number) => Math.round(x * 1e5) / 1e5;

/** A small map: a click (or tap) places the site; typed coordinates move the marker. */
export default function CoordinatePicker({ lat, lng, tileUrl, onPick }: CoordinatePickerProps) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const base = useRef<BaseMap | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!el.current) return;
    const located = lat !== null && lng !== null;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 12, center: located ? [lat, lng] : [33, 110], zoom: located ? 9 : 4, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') } });
    const m = b.map;
    m.on('click', (e: L.LeafletMouseEvent) => { const p = e.latlng.wrap(); pick.current(round(p.lat), round(p.lng)); });
    map.current = m;
    base.current = b;
    return () => { b.remove(); base.current = null; map.current = null; marker.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    base.current?.relabel(t('map.attribution'), i18n.language);
  }, [t, i18n.language]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (lat === null || lng === null || Number.isNaN(lat) || Number.isNaN(lng)) { marker.current?.remove(); marker.current = null; return; }
    if (!marker.current) marker.current = L.circleMarker([lat, lng], { radius: 9, color: '#fff', weight: 2, fillColor: '#1457aa', fillOpacity: 0.95, className: 'ok-pick-marker' }).addTo(m);
    else marker.current.setLatLng([lat, lng]);
    if (!m.getBounds().contains([lat, lng])) m.panTo([lat, lng]);
  }, [lat, lng]);

  return <div ref={el} className="ok-map ok-map-picker" data-testid="coordinate-picker" role="region" aria-label={t('siteForm.mapLabel')} />;
}

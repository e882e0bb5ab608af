import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type BaseMap, createBaseMap } from '../../../web/map/basemap.js';
import { textIcon } from '../../../web/map/map-text.js';

export type BasePickerProps = { value: { lat: number; lng: number } | null; onPick: (p: { lat: number; lng: number }) => void; tileUrl: string | null };

/** A map to place a route's base: click (or tap) where the day starts and ends. */
export default function BasePickerMap({ value, onPick, tileUrl }: BasePickerProps) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const base = useRef<BaseMap | null>(null);
  const marker = useRef<L.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!el.current) return;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 13, center: value ? [value.lat, value.lng] : [30.5, 114.3], zoom: value ? 9 : 4, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') }, credit: false });
    const m = b.map;
    m.on('click', (e: L.LeafletMouseEvent) => pick.current({ lat: Number(e.latlng.lat.toFixed(6)), lng: Number(L.Util.wrapNum(e.latlng.lng, [-180, 180], true).toFixed(6)) }));
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
    if (!value) { marker.current?.remove(); marker.current = null; return; }
    if (!marker.current) {
      marker.current = L.marker([value.lat, value.lng], { icon: textIcon('⌂', { className: 'ok-stop-marker is-base', iconSize: [26, 26] }), keyboard: false }).addTo(m);
    } else marker.current.setLatLng([value.lat, value.lng]);
    if (!m.getBounds().contains([value.lat, value.lng])) m.setView([value.lat, value.lng], Math.max(m.getZoom(), 9), { animate: false });
  }, [value?.lat, value?.lng]); // eslint-disable-line react-hooks/exhaustive-deps

  return <div ref={el} className="ok-route-map ok-base-map" data-testid="base-map" role="region" aria-label={t('visits.routes.mapLabel')} />;
}

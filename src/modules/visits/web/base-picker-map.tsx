import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export type BasePickerProps = { value: { lat: number; lng: number } | null; onPick: (p: { lat: number; lng: number }) => void; tileUrl: string | null };

/** A map to place a route's base: click (or tap) where the day starts and ends. */
export default function BasePickerMap({ value, onPick, tileUrl }: BasePickerProps) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: false, attributionControl: false, minZoom: 2, maxZoom: tileUrl ? 18 : 13, worldCopyJump: true });
    L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(m);
    m.setView(value ? [value.lat, value.lng] : [30.5, 114.3], value ? 8 : 4);
    let cancelled = false;
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(m);
    else {
      void import('virtual:basemap').then(({ default: basemap }) => {
        if (cancelled) return;
        m.createPane('basemap').style.zIndex = '200';
        L.geoJSON(basemap.land, { pane: 'basemap', interactive: false, style: { color: '#9aa5b1', weight: 0.7, fillColor: '#f3f1ea', fillOpacity: 1 } }).addTo(m);
        L.geoJSON(basemap.provinces, { pane: 'basemap', interactive: false, style: { color: '#b3bcc8', weight: 0.8, fillColor: '#faf9f5', fillOpacity: 1 } }).addTo(m);
      });
    }
    m.on('click', (e: L.LeafletMouseEvent) => pick.current({ lat: Number(e.latlng.lat.toFixed(6)), lng: Number(L.Util.wrapNum(e.latlng.lng, [-180, 180], true).toFixed(6)) }));
    map.current = m;
    return () => { cancelled = true; m.remove(); map.current = null; marker.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!value) { marker.current?.remove(); marker.current = null; return; }
    if (!marker.current) {
      marker.current = L.marker([value.lat, value.lng], { icon: L.divIcon({ className: 'ok-stop-marker is-base', html: '⌂', iconSize: [26, 26] }), keyboard: false }).addTo(m);
    } else marker.current.setLatLng([value.lat, value.lng]);
    if (!m.getBounds().contains([value.lat, value.lng])) m.setView([value.lat, value.lng], Math.max(m.getZoom(), 9));
  }, [value?.lat, value?.lng]); // eslint-disable-line react-hooks/exhaustive-deps

  return <div ref={el} className="ok-route-map ok-base-map" data-testid="base-map" role="region" aria-label={t('visits.routes.mapLabel')} />;
}

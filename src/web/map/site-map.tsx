import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Site } from '../api/types.js';
import { addBasemap } from './basemap.js';

export type SiteMapProps = { sites: Site[]; tileUrl: string | null; onSelect?: (id: string) => void };

const colors: Record<Site['kind'], string> = { warehouse: '#1457aa', store: '#2b8a3e', office: '#862e9c', yard: '#d9480f' };

/**
 * Sites on a Leaflet map. Without a configured tile server the basemap is drawn from vector data
 * shipped with the app (countries and China's provinces), so the map works with no network.
 */
export default function SiteMap({ sites, tileUrl, onSelect }: SiteMapProps) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markers = useRef<L.LayerGroup | null>(null);
  const attribution = useRef<string | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: false, attributionControl: false, minZoom: 2, maxZoom: tileUrl ? 18 : 10, worldCopyJump: true });
    L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(m);
    L.control.attribution({ prefix: false }).addTo(m);
    m.setView([35, 105], 4);
    map.current = m;
    const stop = addBasemap(m, tileUrl, () => {
      attribution.current = t('map.attribution');
      m.attributionControl.addAttribution(attribution.current);
    });
    markers.current = L.layerGroup().addTo(m);
    return () => { stop(); m.remove(); map.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  // The basemap credit follows the interface language.
  useEffect(() => {
    const m = map.current;
    if (!m || !attribution.current) return;
    m.attributionControl.removeAttribution(attribution.current);
    attribution.current = t('map.attribution');
    m.attributionControl.addAttribution(attribution.current);
  }, [t]);

  useEffect(() => {
    const m = map.current;
    const layer = markers.current;
    if (!m || !layer) return;
    layer.clearLayers();
    const located = sites.filter((s) => s.lat !== null && s.lng !== null);
    for (const s of located) {
      const marker = L.circleMarker([s.lat!, s.lng!], { radius: 8, color: '#fff', weight: 2, fillColor: colors[s.kind], fillOpacity: 0.95, className: 'ok-site-marker' })
        .bindTooltip(`${s.name} · ${t(`siteKinds.${s.kind}`)}`, { direction: 'top', offset: [0, -6] });
      if (onSelect) marker.on('click', () => onSelect(s.id));
      marker.addTo(layer);
    }
    if (located.length === 1) m.setView([located[0]!.lat!, located[0]!.lng!], 6);
    else if (located.length > 1) m.fitBounds(L.latLngBounds(located.map((s) => [s.lat!, s.lng!] as [number, number])), { padding: [40, 40], maxZoom: 7 });
  }, [sites, t, onSelect]);

  return <div ref={el} className="ok-map" data-testid="site-map" role="region" aria-label={t('map.label')} />;
}

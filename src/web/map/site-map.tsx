import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Site } from '../api/types.js';
import { type BaseMap, createBaseMap } from './basemap.js';
import { clusterGroup } from './cluster.js';
import { bindTextTooltip } from './map-text.js';

export type SiteMapProps = { sites: Site[]; tileUrl: string | null; onSelect?: (id: string) => void };

const colors: Record<Site['kind'], string> = { warehouse: '#1457aa', store: '#2b8a3e', office: '#862e9c', yard: '#d9480f' };

/**
 * Sites on a Leaflet map, clustered where they crowd together. Without a configured tile server the
 * basemap is drawn from vector data shipped with the app (land, borders, place names), so the map
 * works with no network.
 */
export default function SiteMap({ sites, tileUrl, onSelect }: SiteMapProps) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markers = useRef<L.MarkerClusterGroup | null>(null);
  const base = useRef<BaseMap | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 12, center: [35, 105], zoom: 4, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') } });
    base.current = b;
    map.current = b.map;
    markers.current = clusterGroup().addTo(b.map);
    return () => { b.remove(); base.current = null; map.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  // The basemap credit follows the interface language.
  useEffect(() => {
    base.current?.relabel(t('map.attribution'), i18n.language);
  }, [t, i18n.language]);

  useEffect(() => {
    const m = map.current;
    const layer = markers.current;
    if (!m || !layer) return;
    layer.clearLayers();
    const located = sites.filter((s) => s.lat !== null && s.lng !== null);
    for (const s of located) {
      const marker = bindTextTooltip(L.circleMarker([s.lat!, s.lng!], { radius: 8, color: '#fff', weight: 2, fillColor: colors[s.kind], fillOpacity: 0.95, className: 'ok-site-marker' }),
        `${s.name} · ${t(`siteKinds.${s.kind}`)}`, { direction: 'top', offset: [0, -6] });
      if (onSelect) marker.on('click', () => onSelect(s.id));
      layer.addLayer(marker);
    }
    // Close enough to see the city the sites are in.
    if (located.length === 1) m.setView([located[0]!.lat!, located[0]!.lng!], 12, { animate: false });
    else if (located.length > 1) m.fitBounds(L.latLngBounds(located.map((s) => [s.lat!, s.lng!] as [number, number])), { padding: [40, 40], maxZoom: 12, animate: false });
  }, [sites, t, onSelect]);

  return <div ref={el} className="ok-map" data-testid="site-map" role="region" aria-label={t('map.label')} />;
}

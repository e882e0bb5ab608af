/** Competitor prices by province on the offline basemap: one circle per province, sized by observations, tooltips as text. */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { createBaseMap, type BaseMap } from '../../../web/map/basemap.js';
import { bindTextTooltip } from '../../../web/map/map-text.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import type { Trend } from './competition-api.js';
import { provinceCentroids } from './province-centroids.js';

export default function RegionMap({ trend, tileUrl, ourUnitMinor }: { trend: Trend; tileUrl: string | null; ourUnitMinor: number | null }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const el = useRef<HTMLDivElement>(null);
  const base = useRef<BaseMap | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const b = createBaseMap(el.current, { tileUrl, maxOfflineZoom: 10, center: [30.5, 118.5], zoom: 5, lang: i18n.language, labels: { zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution') } });
    base.current = b;
    layer.current = L.layerGroup().addTo(b.map);
    return () => { b.remove(); base.current = null; layer.current = null; };
  }, [tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => { base.current?.relabel(t('map.attribution'), i18n.language); }, [t, i18n.language]);

  useEffect(() => {
    const g = layer.current;
    if (!g) return;
    g.clearLayers();
    const points: L.LatLng[] = [];
    for (const r of trend.regions) {
      const at = provinceCentroids[r.province];
      if (!at) continue;
      // Red where the lowest price seen is under our average net price, blue otherwise.
      const under = ourUnitMinor !== null && r.lowestUnitMinor < ourUnitMinor;
      const c = L.circleMarker(at, { radius: Math.min(22, 6 + Math.sqrt(r.count) * 2), color: under ? '#c92a2a' : '#1457aa', weight: 2, fillOpacity: 0.35 });
      bindTextTooltip(c, [
        n.province(r.province),
        t('competition.map.avg', { price: f.money(r.avgUnitMinor, trend.currency), count: r.count }),
        t('competition.map.lowest', { price: f.money(r.lowestUnitMinor, trend.currency), competitor: r.lowestCompetitor }),
      ]);
      c.addTo(g);
      points.push(L.latLng(at));
    }
    if (points.length && base.current) base.current.map.fitBounds(L.latLngBounds(points).pad(0.4), { maxZoom: 7 });
  }, [trend, ourUnitMinor, f, n, t]);

  return <div ref={el} style={{ height: 320, width: '100%', borderRadius: 8 }} data-testid="region-map" role="region" aria-label={t('competition.map.label')} />;
}

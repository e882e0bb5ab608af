/**
 * Marker clusters for every site map (Leaflet.markercluster): sites close together on screen are
 * drawn as one disc with their count, which a click opens (zooming in, or spreading the sites out
 * around it when they share a place even at the deepest zoom).
 */
import L from 'leaflet';
// The plugin extends the `L` that Leaflet puts on window; importing leaflet first makes sure it is there.
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import { textIcon } from './map-text.js';
import './basemap.css';

/** Cluster colours (basemap.css): `inside` red, `buffer` orange, `safe` green, `muted` grey; otherwise blue. */
export type ClusterTone = 'inside' | 'buffer' | 'safe' | 'muted' | 'default';

export type ClusterOptions = {
  /** The tone of a cluster from the markers in it (e.g. the worst exposure among them). */
  tone?: (markers: L.Marker[]) => ClusterTone;
  /** Pixels within which markers join a cluster (default 36). */
  radius?: number;
};

/** A layer group that clusters the markers (and circle markers) added to it. */
export function clusterGroup(o: ClusterOptions = {}): L.MarkerClusterGroup {
  return L.markerClusterGroup({
    // Zoomed right in, only markers that would cover each other still join.
    maxClusterRadius: (zoom: number) => (zoom >= 12 ? Math.min(16, o.radius ?? 36) : o.radius ?? 36),
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    // Not chunked: a page has hundreds of sites at most, and a chunk still pending when the page
    // leaves would run on a removed map ('_leaflet_pos' of undefined).
    chunkedLoading: false,
    iconCreateFunction: (cluster) => {
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 100 ? 36 : 42;
      const tone = o.tone?.(cluster.getAllChildMarkers()) ?? 'default';
      return textIcon(String(n), { className: `ok-cluster ok-cluster-${tone}`, iconSize: [size, size] });
    },
  });
}

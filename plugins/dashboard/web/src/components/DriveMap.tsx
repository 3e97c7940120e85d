// A Leaflet map with a configurable tile layer. Positions and drive paths are vector layers, so the map still
// shows them (on a plain background) when tiles cannot load or no tile URL is configured.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

import { useDashboardConfig } from '../api/hooks';

export interface MapPath {
  id: number | string;
  points: [number, number][];
  color?: string;
  highlighted?: boolean;
}

export function DriveMap({ position, paths, height = 320 }: {
  position?: [number, number] | null;
  paths: MapPath[];
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<L.LayerGroup | null>(null);
  const { data: config } = useDashboardConfig();
  const tileUrl = config?.map_tile_url ?? '';

  useEffect(() => {
    if (!ref.current) return;
    const m = L.map(ref.current, { zoomControl: true, attributionControl: true, preferCanvas: true });
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, attribution: config?.map_attribution ?? '' }).addTo(m);
    }
    layers.current = L.layerGroup().addTo(m);
    map.current = m;
    m.setView([0, 0], 2);
    return () => {
      m.remove();
      map.current = null;
    };
  }, [tileUrl, config?.map_attribution]);

  useEffect(() => {
    const m = map.current;
    const group = layers.current;
    if (!m || !group) return;
    group.clearLayers();
    const bounds = L.latLngBounds([]);
    for (const p of paths) {
      if (p.points.length < 2) continue;
      const line = L.polyline(p.points, {
        color: p.color ?? (p.highlighted ? '#2563eb' : '#94a3b8'),
        weight: p.highlighted ? 5 : 3,
        opacity: p.highlighted ? 0.95 : 0.7,
      });
      line.addTo(group);
      if (p.highlighted || !paths.some((x) => x.highlighted)) bounds.extend(line.getBounds());
    }
    if (position) {
      L.circleMarker(position, { radius: 8, color: '#fff', weight: 3, fillColor: '#dc2626', fillOpacity: 1 })
        .bindTooltip('Car')
        .addTo(group);
      if (!bounds.isValid()) bounds.extend(position);
    }
    if (bounds.isValid()) m.fitBounds(bounds.pad(0.2), { maxZoom: 15 });
  }, [paths, position, tileUrl]);

  return (
    <div className="map-wrap">
      <div ref={ref} className="map" style={{ height }} data-testid="map" data-paths={paths.length} />
      {!tileUrl && <div className="map-note">Map tiles are off (plugins.dashboard.map_tile_url)</div>}
    </div>
  );
}

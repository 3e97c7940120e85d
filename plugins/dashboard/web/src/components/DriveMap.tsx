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

// What the map frames: while the car drives, the drive under way (the highlighted path: its samples so far) and
// the car, never the previous drive (a place the car has left); otherwise the highlighted drive, all drives when
// none is highlighted, and the car's position when there is no drive.
export function mapFrame(paths: MapPath[], position: [number, number] | null | undefined,
                         followCar: boolean): [number, number][] {
  const drawn = paths.filter((p) => p.points.length >= 2);
  const highlighted = drawn.filter((p) => p.highlighted);
  if (followCar && position) return [...highlighted.flatMap((p) => p.points), position];
  const framed = (highlighted.length > 0 ? highlighted : drawn).flatMap((p) => p.points);
  if (framed.length === 0 && position) return [position];
  return framed;
}

export function DriveMap({ position, paths, height = 320, followCar = false }: {
  position?: [number, number] | null;
  paths: MapPath[];
  height?: number;
  followCar?: boolean;
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
    for (const p of paths) {
      if (p.points.length < 2) continue;
      L.polyline(p.points, {
        color: p.color ?? (p.highlighted ? '#2563eb' : '#94a3b8'),
        weight: p.highlighted ? 5 : 3,
        opacity: p.highlighted ? 0.95 : 0.7,
      }).addTo(group);
    }
    if (position) {
      L.circleMarker(position, { radius: 8, color: '#fff', weight: 3, fillColor: '#dc2626', fillOpacity: 1 })
        .bindTooltip('Car')
        .addTo(group);
    }
    const frame = mapFrame(paths, position, followCar);
    if (frame.length === 1) m.setView(frame[0], 14);
    else if (frame.length > 1) m.fitBounds(L.latLngBounds(frame).pad(0.2), { maxZoom: 15 });
  }, [paths, position, tileUrl, followCar]);

  return (
    <div className="map-wrap">
      <div ref={ref} className="map" style={{ height }} data-testid="map" data-paths={paths.length}
           data-follows={followCar ? 'car' : 'drive'} />
      {!tileUrl && <div className="map-note">Map tiles are off (plugins.dashboard.map_tile_url)</div>}
    </div>
  );
}

import type { EnergySite, SiteLive } from '../api/types';
import { dateTime, percent, power } from '../units';
import { BatteryBar } from './ui';

// Live power flows of an energy site around a hub: solar → home, Powerwall, grid and car. Home is the site's load
// without the car (the load measured by the Powerwall includes the wall connector).
// Signs (GET /api/energy/sites/:id/live): battery + discharging / − charging; grid + importing / − exporting.
const IDLE_W = 20;

interface Node {
  key: string;
  label: string;
  x: number;
  y: number;
  watts: number | null;
  // true: energy flows from this node into the hub
  inbound: boolean;
  detail: string;
}

export function flowNodes(live: SiteLive): Node[] {
  const solar = live.solar_power_w ?? 0;
  const battery = live.battery_power_w ?? 0;
  const grid = live.grid_power_w ?? 0;
  const car = Math.max(0, live.wall_connector_power_w ?? 0);
  // The site's load includes the wall connector: the home node shows the rest, so that what flows in (solar,
  // grid import, Powerwall discharge) equals what flows out (home, car, grid export, Powerwall charge).
  const homeOther = live.load_power_w == null ? null : Math.max(0, live.load_power_w - car);
  const home = homeOther ?? 0;
  return [
    { key: 'solar', label: 'Solar', x: 160, y: 34, watts: live.solar_power_w, inbound: true,
      detail: solar > IDLE_W ? 'producing' : 'idle' },
    { key: 'grid', label: 'Grid', x: 40, y: 120, watts: live.grid_power_w, inbound: grid > 0,
      detail: grid > IDLE_W ? 'importing' : grid < -IDLE_W ? 'exporting' : 'idle' },
    { key: 'home', label: 'Home', x: 280, y: 120, watts: homeOther, inbound: false,
      detail: home > IDLE_W ? (car > IDLE_W ? 'using, without the car' : 'using') : 'idle' },
    { key: 'battery', label: 'Powerwall', x: 80, y: 206, watts: live.battery_power_w, inbound: battery > 0,
      detail: battery > IDLE_W ? 'discharging' : battery < -IDLE_W ? 'charging' : 'idle' },
    { key: 'car', label: 'Car', x: 240, y: 206, watts: live.wall_connector_power_w, inbound: false,
      detail: car > IDLE_W ? 'charging' : 'idle' },
  ];
}

const HUB = { x: 160, y: 130 };

export function EnergyFlowCard({ site, live }: { site: EnergySite; live: SiteLive }) {
  const nodes = flowNodes(live).filter(
    (n) => !(n.key === 'battery' && !site.has_battery) && !(n.key === 'solar' && !site.has_solar) &&
      !(n.key === 'car' && site.wall_connector_count === 0 && !live.wall_connector_power_w),
  );
  return (
    <article className="card energy-card" data-testid="energy-flow" aria-label={`${site.site_name} energy flow`}>
      <header className="card-header">
        <div>
          <h2>{site.site_name || 'Energy site'}</h2>
          <div className="muted small">Live · {dateTime(live.timestamp)}</div>
        </div>
        {live.grid_status && live.grid_status !== 'Active' ? (
          <span className="badge badge-offline">Grid {live.grid_status === 'Inactive' ? 'outage' : live.grid_status}</span>
        ) : (
          <span className="badge badge-online">Grid on</span>
        )}
      </header>
      <svg viewBox="0 0 320 250" className="flow" role="img" aria-label="Energy flow diagram">
        {nodes.map((n) => {
          const active = Math.abs(n.watts ?? 0) > IDLE_W;
          const [x1, y1, x2, y2] = n.inbound ? [n.x, n.y, HUB.x, HUB.y] : [HUB.x, HUB.y, n.x, n.y];
          return (
            <line key={`l-${n.key}`} x1={x1} y1={y1} x2={x2} y2={y2}
                  className={`flow-line flow-${n.key} ${active ? 'active' : ''}`} />
          );
        })}
        <circle cx={HUB.x} cy={HUB.y} r={6} className="flow-hub" />
        {nodes.map((n) => (
          <g key={n.key} className={`flow-node flow-${n.key}`} transform={`translate(${n.x} ${n.y})`}>
            <circle r={27} />
            <text y={-4} className="flow-label">{n.label}</text>
            <text y={11} className="flow-value" data-testid={`flow-${n.key}`}>{power(n.watts)}</text>
          </g>
        ))}
      </svg>
      <ul className="flow-legend">
        {nodes.map((n) => (
          <li key={n.key}>
            <span className={`dot flow-${n.key}`} />
            {n.label}: <strong>{power(n.watts)}</strong> <span className="muted">{n.detail}</span>
          </li>
        ))}
      </ul>
      {site.has_battery && (
        <div className="powerwall-level">
          <span>Powerwall {percent(live.battery_percentage)}</span>
          <BatteryBar level={live.battery_percentage} />
        </div>
      )}
    </article>
  );
}

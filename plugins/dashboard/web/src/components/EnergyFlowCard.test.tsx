import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';

import type { EnergySite, SiteLive } from '../api/types';
import { renderWithProviders } from '../test/render';
import { EnergyFlowCard, flowNodes } from './EnergyFlowCard';

const site: EnergySite = {
  energy_site_id: 123456, site_name: 'Test Home', time_zone: 'Europe/London', battery_count: 2,
  nameplate_energy_wh: 27000, has_solar: true, has_battery: true, has_grid: true, wall_connector_count: 1,
};
const live: SiteLive = {
  energy_site_id: 123456, timestamp: '2026-06-01T12:00:00Z', solar_power_w: 6200, load_power_w: 1500,
  battery_power_w: -2500, grid_power_w: -2200, wall_connector_power_w: 0, battery_percentage: 72.4,
  grid_status: 'Active',
};

describe('EnergyFlowCard', () => {
  it('shows where the solar power goes, with directions', () => {
    renderWithProviders(<EnergyFlowCard site={site} live={live} />);
    expect(screen.getByRole('heading', { name: 'Test Home' })).toBeTruthy();
    expect(screen.getByTestId('flow-solar').textContent).toBe('6.2 kW');
    expect(screen.getByTestId('flow-home').textContent).toBe('1.5 kW');
    const legend = screen.getByRole('list');
    expect(within(legend).getByText(/Solar/).textContent).toContain('producing');
    expect(within(legend).getByText(/Grid/).textContent).toContain('exporting');
    expect(within(legend).getByText(/Powerwall/).textContent).toContain('charging');
    expect(screen.getByText('Powerwall 72 %')).toBeTruthy();
    expect(screen.getByText('Grid on')).toBeTruthy();
  });

  it('shows a grid outage and an importing grid at night', () => {
    renderWithProviders(
      <EnergyFlowCard site={site}
                      live={{ ...live, solar_power_w: 0, battery_power_w: 0, grid_power_w: 800, grid_status: 'Inactive' }} />,
    );
    expect(screen.getByText('Grid outage')).toBeTruthy();
    const legend = screen.getByRole('list');
    expect(within(legend).getByText(/Grid/).textContent).toContain('importing');
    expect(within(legend).getByText(/Solar/).textContent).toContain('idle');
  });

  it('leaves out a Powerwall the site does not have', () => {
    renderWithProviders(<EnergyFlowCard site={{ ...site, has_battery: false }} live={live} />);
    expect(screen.queryByTestId('flow-battery')).toBeNull();
  });

  it('balances: the car is not counted twice (the site load includes the wall connector)', () => {
    // Charging the car at 11 kW from the grid at night: the Powerwall says load 12.4 kW, of which 11 kW is the car.
    const night: SiteLive = { ...live, solar_power_w: 0, battery_power_w: 0, grid_power_w: 12400,
      load_power_w: 12400, wall_connector_power_w: 11000 };
    renderWithProviders(<EnergyFlowCard site={site} live={night} />);
    expect(screen.getByTestId('flow-home').textContent).toBe('1.4 kW');
    expect(screen.getByTestId('flow-car').textContent).toBe('11.0 kW');
    for (const l of [night, live, { ...live, wall_connector_power_w: 7400, load_power_w: 8900, grid_power_w: 5200 }]) {
      const nodes = flowNodes(l);
      const sum = (inbound: boolean) =>
        nodes.filter((n) => n.inbound === inbound).reduce((t, n) => t + Math.abs(n.watts ?? 0), 0);
      expect(sum(true)).toBeCloseTo(sum(false), 6);
    }
  });
});

import { describe, expect, it } from 'vitest';

import { distance, efficiency, energy, money, power, speed, temperature } from './units';

describe('units', () => {
  it('shows distances in km or miles', () => {
    expect(distance(100, 'km')).toBe('100 km');
    expect(distance(160.9344, 'mi')).toBe('100 mi');
    expect(distance(null, 'km')).toBe('—');
  });
  it('shows temperatures in °C or °F', () => {
    expect(temperature(21.5, 'C')).toBe('21.5 °C');
    expect(temperature(100, 'F')).toBe('212 °F');
    expect(temperature(-40, 'F')).toBe('-40 °F');
  });
  it('converts speed and efficiency with the distance unit', () => {
    expect(speed(100, 'km')).toBe('100 km/h');
    expect(speed(160.9344, 'mi')).toBe('100 mph');
    expect(efficiency(150, 'mi')).toBe('241 Wh/mi');
  });
  it('formats power, energy and money', () => {
    expect(power(3200)).toBe('3.2 kW');
    expect(power(-450)).toBe('450 W');
    expect(energy(12.345)).toBe('12.3 kWh');
    expect(money(4.5, 'EUR')).toBe('€4.50');
    expect(money(null, 'EUR')).toBe('—');
  });
});

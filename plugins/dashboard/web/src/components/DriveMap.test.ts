import { describe, expect, it } from 'vitest';

import { isDriving } from '../pages/VehicleDetail';
import type { VehicleState } from '../api/types';
import { mapFrame, type MapPath } from './DriveMap';

const previous: MapPath = { id: 1, points: [[51.5, -0.12], [51.52, -0.08]], highlighted: true };
const older: MapPath = { id: 2, points: [[51.4, -0.3], [51.45, -0.2]] };
const car: [number, number] = [51.9, 0.5];

describe('map framing', () => {
  it('frames the drive under way and the car, not the previous drive, while driving', () => {
    expect(mapFrame([{ ...previous, highlighted: false }, older], car, true)).toEqual([car]);
    const current: MapPath = { id: 'current', points: [[51.8, 0.4], [51.85, 0.45]], highlighted: true };
    expect(mapFrame([{ ...previous, highlighted: false }, older, current], car, true)).toEqual([...current.points, car]);
  });
  it('frames the highlighted drive when parked, all drives when none is highlighted', () => {
    expect(mapFrame([previous, older], car, false)).toEqual(previous.points);
    expect(mapFrame([{ ...previous, highlighted: false }, older], car, false)).toHaveLength(4);
    expect(mapFrame([], car, false)).toEqual([car]);
  });
  it('knows a car on the road from its activity, gear or speed', () => {
    const parked = { activity: 'parked', shift_state: 'P', speed_kmh: 0 } as VehicleState;
    expect(isDriving(parked)).toBe(false);
    expect(isDriving({ ...parked, activity: 'driving' })).toBe(true);
    expect(isDriving({ ...parked, shift_state: 'D' })).toBe(true);
    expect(isDriving({ ...parked, shift_state: null, speed_kmh: 42 })).toBe(true);
    expect(isDriving(undefined)).toBe(false);
  });
});

// Time series with uPlot (canvas; stays smooth with a year of hourly points per series).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  unit?: string;
  fill?: boolean;
}

// `barSeconds`: draw bars, one bucket of that length per time (side by side when there are several series).
export function TimeChart({ times, series, height = 260, barSeconds, yLabel, testId }: {
  times: number[]; // epoch seconds
  series: ChartSeries[];
  height?: number;
  barSeconds?: number;
  yLabel?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const bars = barSeconds !== undefined;
    const n = series.length;
    const barPaths = (i: number) =>
      bars ? uPlot.paths.bars?.({ size: [0.8 / n, 40], align: n === 1 ? 0 : i === 0 ? -1 : 1 }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: {
        // Bars: a half bucket of room on either side; values from 0.
        x: { time: true },
        y: bars ? { range: (_u, min, max) => [Math.min(0, min), Math.max(0, max) * 1.1 || 1] } : {},
      },
      axes: [
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' } },
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, label: yLabel, size: 56 },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          width: bars ? 0 : 1.5,
          fill: bars ? s.color : s.fill ? `${s.color}22` : undefined,
          paths: barPaths(i),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}${s.unit ? ` ${s.unit}` : ''}`),
        })),
      ],
    };
    const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
    // How long building and the first draw took (read by the benchmark; uPlot draws in a microtask).
    const started = performance.now();
    opts.hooks = {
      draw: [() => {
        if (el.dataset.drawMs === undefined) el.dataset.drawMs = (performance.now() - started).toFixed(1);
      }],
    };
    delete el.dataset.drawMs;
    const plot = new uPlot(opts, data, el);
    if (bars && times.length > 0) {
      plot.setScale('x', { min: times[0] - barSeconds / 2, max: times[times.length - 1] + barSeconds / 2 });
    }
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, height, barSeconds, yLabel]);
  return <div ref={ref} className="chart" data-testid={testId} data-points={times.length} />;
}

export function toEpochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

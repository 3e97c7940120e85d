// Time series with uPlot (canvas; stays smooth with a year of hourly points per series).
// Lines for samples (battery, power), grouped bars for calendar buckets (energy per day or month). The x axis
// always frames the data: one point gets a short range around it (never uPlot's default of years), and bars
// have their buckets' own labels ("3 Jun", "Jun 2026") in the time zone the API gave them in.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  unit?: string;
  fill?: boolean;
  // The y axis of the series: series with the same scale share an axis; the second scale is drawn on the right.
  scale?: string;
}

export interface ChartScale {
  key: string;
  label: string;
  // Fixed range (e.g. 0..100 for a percentage); otherwise from 0 (or the lowest value) to the highest.
  range?: [number, number];
}

export type Bucket = 'day' | 'month';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The label of a calendar bucket from its ISO start ("2026-06-03T00:00:00+01:00"): the date as written, so that
// the browser's time zone cannot move a day or a month into its neighbour.
export function bucketLabel(iso: string, bucket: Bucket, withYear = false): string {
  const y = iso.slice(0, 4);
  const m = Number(iso.slice(5, 7));
  if (bucket === 'month') return withYear ? `${MONTHS[m - 1]} ${y}` : MONTHS[m - 1];
  return `${Number(iso.slice(8, 10))} ${MONTHS[m - 1]}`;
}

const HOUR = 3600;
const DAY = 86400;

// The x range shown for `times` (epoch seconds, ascending). Lines: the data's own range, and for a single point
// (or points all at one time) an hour either side. Bars: half a bucket beyond the first and last bucket.
export function xRange(times: number[], bucket?: Bucket): [number, number] | null {
  if (times.length === 0) return null;
  const first = times[0];
  const last = times[times.length - 1];
  if (bucket) {
    const width = bucket === 'month' ? 30 * DAY : DAY;
    return [first - width / 2, last + width / 2];
  }
  if (last - first < 60) return [first - HOUR, last + HOUR];
  return [first, last];
}

// Which buckets get a label when there is room for `room` labels: every n-th one.
export function labelStep(count: number, room: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, room)));
}

// Grouped bars: series i of n is drawn in the i-th slot of each bucket; bars start at 0 (negative values go down).
function groupedBars(index: number, count: number): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0];
    const ys = u.data[seriesIdx];
    let gap = Infinity;
    for (let i = Math.max(1, idx0); i <= idx1; i++) {
      gap = Math.min(gap, Math.abs(u.valToPos(xs[i], 'x', true) - u.valToPos(xs[i - 1], 'x', true)));
    }
    if (!Number.isFinite(gap)) gap = u.bbox.width / 2;
    const group = Math.min(gap * 0.8, 60 * count * devicePixelRatio);
    const width = group / count;
    const scale = u.series[seriesIdx].scale ?? 'y';
    const zero = u.valToPos(0, scale, true);
    const path = new Path2D();
    for (let i = idx0; i <= idx1; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      const x = u.valToPos(xs[i], 'x', true) - group / 2 + index * width;
      const y = u.valToPos(v, scale, true);
      path.rect(x, Math.min(y, zero), Math.max(1, width - devicePixelRatio), Math.max(1, Math.abs(zero - y)));
    }
    return { stroke: path, fill: path };
  };
}

export function TimeChart({ times, series, height = 260, bucket, labels, scales, yLabel, testId }: {
  times: number[]; // epoch seconds
  series: ChartSeries[];
  height?: number;
  // Bars, one group per calendar bucket; `labels` are the buckets' ISO start times (for their axis labels).
  bucket?: Bucket;
  labels?: string[];
  // Two y axes (e.g. % and km); without it one axis named `yLabel`.
  scales?: ChartScale[];
  yLabel?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const bars = bucket !== undefined;
    const range = xRange(times, bucket);
    const axisScales: ChartScale[] = scales ?? [{ key: 'y', label: yLabel ?? '' }];
    const fromZero = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
      const lo = Math.min(0, min);
      const hi = Math.max(0, max);
      return [lo * 1.1, hi === lo ? lo + 1 : hi * 1.1];
    };
    const yScales: Record<string, uPlot.Scale> = {};
    for (const s of axisScales) {
      yScales[s.key] = s.range ? { range: () => s.range as [number, number] } : { range: fromZero };
    }
    const yearsShown = new Set(labels?.map((l) => l.slice(0, 4))).size > 1;
    const drawn: string[] = [];
    const xAxis: uPlot.Axis = { stroke: '#6b7280', grid: { stroke: '#eef0f3' } };
    if (bars && labels) {
      // Ticks on the buckets themselves, labelled with their dates; thinned when there is no room.
      xAxis.splits = () => {
        const room = Math.floor(Math.max(280, el.clientWidth) / (bucket === 'month' ? 56 : 48));
        const step = labelStep(times.length, room);
        return times.filter((_t, i) => i % step === 0);
      };
      xAxis.values = (_u, splits) => {
        const out = splits.map((t) => {
          const i = times.indexOf(t);
          return i < 0 ? '' : bucketLabel(labels[i], bucket, yearsShown || times.length === 1);
        });
        drawn.splice(0, drawn.length, ...out);
        el.dataset.ticks = drawn.join('|');
        return out;
      };
      xAxis.grid = { show: false };
    }
    const dense = times.length <= 2;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: {
        // Lines: the data's range, an hour either side of a lone sample (a user's zoom passes through).
        x: bars ? { time: true } : { time: true, range: (_u, min, max) => (max - min < 60 ? [min - HOUR, max + HOUR] : [min, max]) },
        ...yScales,
      },
      axes: [
        xAxis,
        ...axisScales.map((s, i) => ({
          scale: s.key,
          side: i === 0 ? 3 : 1,
          stroke: '#6b7280',
          grid: { stroke: '#eef0f3', show: i === 0 },
          label: s.label,
          size: 56,
        })),
      ],
      series: [
        bars && labels
          ? { label: bucket === 'month' ? 'Month' : 'Day', value: (_u: uPlot, t: number | null) => {
              const i = t === null ? -1 : times.indexOf(t);
              return i < 0 ? '—' : bucketLabel(labels[i], bucket, true);
            } }
          : {},
        ...series.map((s, i) => ({
          label: s.label,
          scale: s.scale ?? axisScales[0].key,
          stroke: s.color,
          width: bars ? 0 : 1.5,
          fill: bars ? s.color : s.fill ? `${s.color}22` : undefined,
          paths: bars ? groupedBars(i, series.length) : undefined,
          // A single sample has no line to draw: show the samples as dots when there are only one or two.
          points: { show: !bars && dense, size: 7, fill: s.color },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}${s.unit ? ` ${s.unit}` : ''}`),
        })),
      ],
    };
    const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
    // How long building and the first draw took (read by the benchmark; uPlot draws in a microtask).
    const started = performance.now();
    opts.hooks = {
      draw: [(u) => {
        if (el.dataset.drawMs === undefined) el.dataset.drawMs = (performance.now() - started).toFixed(1);
        el.dataset.xMin = String(Math.round(u.scales.x.min ?? 0));
        el.dataset.xMax = String(Math.round(u.scales.x.max ?? 0));
      }],
    };
    delete el.dataset.drawMs;
    const plot = new uPlot(opts, data, el);
    if (bars && range) plot.setScale('x', { min: range[0], max: range[1] });
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, height, bucket, labels, scales, yLabel]);
  return (
    <div ref={ref} className="chart" data-testid={testId} data-points={times.length}
         data-kind={bucket ? `bars-${bucket}` : 'lines'} data-axes={(scales ?? [1]).length} />
  );
}

export function toEpochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

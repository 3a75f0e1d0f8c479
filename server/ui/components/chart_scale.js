// What the charts share: nice tick values, linear and log scales, axis label formats, the series palette and
// exponential-moving-average smoothing.

// Colours that stay apart from each other for the first ten series (then repeat).
export const PALETTE = ['#077a9d', '#d9480f', '#2f9e44', '#ae3ec9', '#f08c00', '#1c7ed6', '#e03131', '#5c940d',
  '#862e9c', '#495057'];

export function seriesColor(index) {
  return PALETTE[index % PALETTE.length];
}

// Round-number ticks (1, 2, 2.5, 5 x 10^n) covering [min, max], about `count` of them.
export function niceTicks(min, max, count = 6) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) || 10 * power;
  const ticks = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : Number(value.toPrecision(12)));
  }
  return ticks;
}

// Powers of ten inside [min, max] (positive); when the range spans less than one decade, linear ticks instead.
export function logTicks(min, max, count = 6) {
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  if (high - low < 2) return niceTicks(min, max, count).filter((value) => value > 0);
  const stride = Math.max(1, Math.ceil((high - low) / count));
  const ticks = [];
  for (let exponent = low; exponent <= high; exponent += stride) {
    const value = 10 ** exponent;
    if (value >= min && value <= max) ticks.push(value);
  }
  return ticks;
}

// A scale maps a domain [min, max] onto pixels [from, to]; log scales work on log10 of the values.
export function makeScale(min, max, from, to, log = false) {
  const transform = log ? Math.log10 : (value) => value;
  const low = transform(min);
  const span = transform(max) - low || 1;
  const map = (value) => from + ((transform(value) - low) / span) * (to - from);
  map.invert = (pixel) => {
    const raw = low + ((pixel - from) / (to - from)) * span;
    return log ? 10 ** raw : raw;
  };
  return map;
}

// Tick labels: short numbers (1e-4, 25k, 0.125).
export function formatTick(value) {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(magnitude >= 1e6 ? 1 : 0).replace('e+', 'e');
  if (magnitude >= 1e4) return `${Number((value / 1000).toPrecision(4))}k`;
  return String(Number(value.toPrecision(4)));
}

const pad = (value) => String(value).padStart(2, '0');

// Wall-time ticks: the date when the visible range spans days, else the time of day.
export function formatWallTick(milliseconds, spanMilliseconds) {
  const date = new Date(milliseconds);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const day = `${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  if (spanMilliseconds > 3 * 86400000) return `${date.getFullYear()}-${day}`;
  if (spanMilliseconds > 86400000) return `${day} ${time}`;
  return spanMilliseconds < 120000 ? `${time}:${pad(date.getSeconds())}` : time;
}

// Relative time since the run started as h:mm:ss.
export function formatElapsed(milliseconds) {
  const sign = milliseconds < 0 ? '-' : '';
  const total = Math.round(Math.abs(milliseconds) / 1000);
  return `${sign}${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

// Time ticks at round seconds/minutes/hours so labels read well.
export function timeTicks(min, max, count = 6) {
  const units = [1000, 5000, 15000, 30000, 60000, 300000, 900000, 1800000, 3600000, 7200000, 21600000, 43200000,
    86400000, 7 * 86400000];
  const rough = (max - min) / Math.max(1, count);
  const step = units.find((unit) => unit >= rough);
  if (!step) return niceTicks(min, max, count);
  const ticks = [];
  for (let value = Math.ceil(min / step) * step; value <= max; value += step) ticks.push(value);
  return ticks;
}

/**
 * Exponential moving average as TensorBoard draws it: debiased so the first points are not pulled towards zero.
 * `weight` is 0 (no smoothing) .. 0.99. Points are {x, y}; the result keeps x and carries the raw point as `raw`.
 */
export function smooth(points, weight) {
  if (!weight) return points;
  let last = 0;
  let count = 0;
  return points.map((point) => {
    last = last * weight + (1 - weight) * point.y;
    count += 1;
    return { ...point, y: last / (1 - weight ** count) };
  });
}

// A number when the text is one ("0.01", "1e-3", " 42 "), else null: params arrive as strings.
export function parseNumber(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * An axis over the values one param or metric takes across runs: numeric when every value parses as a number,
 * else categorical (the distinct values, sorted). position(value) is 0..1 (or null for a missing value).
 */
export function valueAxis(values) {
  const present = values.filter((value) => value !== undefined && value !== null && value !== '');
  const numbers = present.map(parseNumber);
  if (present.length && numbers.every((number) => number !== null)) {
    let min = Math.min(...numbers);
    let max = Math.max(...numbers);
    if (min === max) [min, max] = [min - (Math.abs(min) || 1) * 0.5, max + (Math.abs(max) || 1) * 0.5];
    // A margin keeps the extreme marks off the plot's frame.
    const margin = (max - min) * 0.05;
    [min, max] = [min - margin, max + margin];
    const ticks = niceTicks(min, max, 5);
    const position = (value) => {
      const number = parseNumber(value);
      return number === null ? null : (number - min) / (max - min);
    };
    return { kind: 'numeric', position,
      ticks: ticks.map((value) => ({ text: formatTick(value), at: position(value) })) };
  }
  const categories = [...new Set(present.map(String))].sort();
  const slot = (index) => (index + 0.5) / categories.length;
  const position = (value) => {
    const index = categories.indexOf(String(value));
    return index < 0 ? null : slot(index);
  };
  return { kind: 'categorical', position,
    ticks: categories.map((category, index) => ({ text: category.length > 14 ? `${category.slice(0, 13)}…` : category,
      at: slot(index) })) };
}

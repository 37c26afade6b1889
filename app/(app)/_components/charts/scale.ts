// The number scale of a bar chart: round ticks (1, 2 or 5 times a power of ten) from zero
// to at least the largest value, with the smallest such step that needs at most
// `intervals` gridlines, so that they read as plain numbers. Counts are whole, so a step
// is never below 1.

export type Scale = { max: number; ticks: number[] };

export function niceScale(largest: number, intervals = 5): Scale {
  if (!(largest > 0)) return { max: 1, ticks: [0, 1] };
  let power = 10 ** Math.max(0, Math.floor(Math.log10(largest / intervals)));
  let step = power;
  for (let i = 0; Math.ceil(largest / step) > intervals; i++) {
    step = [1, 2, 5][(i + 1) % 3] * power;
    if ((i + 1) % 3 === 0) {
      power *= 10;
      step = power;
    }
  }
  const max = Math.ceil(largest / step) * step;
  return { max, ticks: Array.from({ length: max / step + 1 }, (_, i) => i * step) };
}

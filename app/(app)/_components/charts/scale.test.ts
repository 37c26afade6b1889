import { describe, expect, it } from "vitest";
import { niceScale } from "./scale";

describe("niceScale", () => {
  it("the smallest step of 1, 2 or 5 times a power of ten that needs at most five intervals", () => {
    expect(niceScale(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceScale(10)).toEqual({ max: 10, ticks: [0, 2, 4, 6, 8, 10] });
    expect(niceScale(37)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(8_400)).toEqual({ max: 10_000, ticks: [0, 2_000, 4_000, 6_000, 8_000, 10_000] });
    expect(niceScale(28_591)).toEqual({ max: 30_000, ticks: [0, 10_000, 20_000, 30_000] });
  });

  it("whole steps for small counts, and a scale of one when there is nothing", () => {
    expect(niceScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(1)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
  });
});

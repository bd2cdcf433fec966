/**
 * The growth per operation of a place's bytes: the slope of the least-squares line through the
 * points measured at each size. One point is a ratio that includes fixed costs (an empty table's
 * first page, an index's metapage, a topic's first segment); the slope over three sizes is
 * what one more operation costs.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Line {
  slope: number;
  intercept: number;
}

/** null when the points cannot define a slope (fewer than two distinct x). */
export function leastSquares(points: readonly Point[]): Line | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const point of points) {
    sxx += (point.x - meanX) ** 2;
    sxy += (point.x - meanX) * (point.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** Bytes per operation to one decimal, as the report shows them; null when no slope. */
export function bytesPerOperation(points: readonly Point[]): number | null {
  const line = leastSquares(points);
  return line === null ? null : Math.round(line.slope * 10) / 10;
}

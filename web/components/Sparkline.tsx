/** Props of {@linkcode Sparkline}. */
export interface SparklineProps {
  values: number[];
  label: string;
  width?: number;
  height?: number;
}

/** A small inline SVG trend line (deterministic, so it renders identically on server and client). */
export function Sparkline({ values, label, width = 120, height = 32 }: SparklineProps) {
  const max = Math.max(0, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) =>
    `${(i * step).toFixed(1)},${(height - 2 - (max > 0 ? (v / max) * (height - 4) : 0)).toFixed(1)}`
  ).join(" ");
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      width={width}
      height={height}
      role="img"
      aria-label={label}
    >
      {values.length > 1 && (
        <polyline points={`0,${height} ${points} ${width},${height}`} class="spark-area" />
      )}
      {values.length > 1 && <polyline points={points} class="spark-line" />}
    </svg>
  );
}

/** A small trend line (decorative: the numbers are always shown beside it). */
export function Sparkline({ values, width = 96, height = 24 }: { values: number[]; width?: number; height?: number }) {
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = (width - 4) / (values.length - 1);
  const pts = values.map((v, i) => `${2 + i * step},${height - 2 - ((v - min) / span) * (height - 4)}`).join(' ');
  // Time runs left to right in every language (docs/decisions/0004).
  return (
    <svg
      className="spark"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
      style={{ direction: 'ltr' }}
    >
      <polyline points={pts} fill="none" stroke="#0b5cab" strokeWidth="1.5" />
      <circle
        cx={2 + (values.length - 1) * step}
        cy={height - 2 - ((values[values.length - 1]! - min) / span) * (height - 4)}
        r="2"
        fill="#0b5cab"
      />
    </svg>
  );
}

import type { ApiKeyUsageQuery } from '@gatehouse/shared/generated';

type Day = ApiKeyUsageQuery['apiKeys'][number]['usage'][number];

const WIDTH = 120;
const HEIGHT = 28;

const refusedOn = (day: Day) => day.unauthorized + day.rateLimited + day.ipNotAllowed;

/**
 * A key's last days as bars, accepted requests below and refused ones stacked on top, scaled to
 * the busiest day. Plain SVG: the numbers are in its accessible name and its tooltip.
 */
export function UsageChart({ usage, keyName }: { usage: readonly Day[]; keyName: string }) {
  const accepted = usage.reduce((sum, day) => sum + day.success, 0);
  const refused = usage.reduce((sum, day) => sum + refusedOn(day), 0);
  const rateLimited = usage.reduce((sum, day) => sum + day.rateLimited, 0);
  const ipRefused = usage.reduce((sum, day) => sum + day.ipNotAllowed, 0);
  const label =
    `${keyName}: ${accepted} accepted and ${refused} refused requests in the last ${usage.length} days` +
    (refused ? ` (${rateLimited} rate-limited, ${ipRefused} from addresses not allowed)` : '');
  const busiest = Math.max(1, ...usage.map((day) => day.success + refusedOn(day)));
  const step = WIDTH / Math.max(1, usage.length);
  const barWidth = Math.max(1, step - 1);
  const height = (count: number) => (count / busiest) * (HEIGHT - 2);
  return (
    <svg
      className="usage-chart"
      role="img"
      aria-label={label}
      data-testid="usage-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
    >
      <title>{label}</title>
      <line className="usage-chart-axis" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      {usage.map((day, index) => {
        const ok = height(day.success);
        const bad = height(refusedOn(day));
        return (
          <g key={day.day}>
            {ok > 0 && (
              <rect className="usage-chart-ok" x={index * step} y={HEIGHT - 1 - ok} width={barWidth} height={ok} />
            )}
            {bad > 0 && (
              <rect
                className="usage-chart-refused"
                x={index * step}
                y={HEIGHT - 1 - ok - bad}
                width={barWidth}
                height={bad}
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}

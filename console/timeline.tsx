import { formatDay, t } from './i18n.js';

/**
 * A bucket starts at local midnight of the SITE's zone, written with that zone's offset
 * ("2026-06-09T00:00:00+09:00"): its day is the date it names, not Vietnam's day of that instant.
 */
const dayOf = (start: string) => (/^\d{4}-\d{2}-\d{2}T.*[+-]\d{2}:\d{2}$/.test(start) ? `${start.slice(8, 10)}/${start.slice(5, 7)}` : formatDay(start));

export interface TimelineBucket {
  start: string;
  count: number;
}

/** Counts per day as bars, with the same figures as a table for screen readers and for copying (polls and surveys). */
export function TimelineChart(props: { buckets: TimelineBucket[]; id: string; title: string; countLabel: string; empty: string }) {
  const b = props.buckets.slice(-60);
  if (!b.length) return <p class="muted">{props.empty}</p>;
  const max = Math.max(1, ...b.map((x) => x.count));
  const W = 600;
  const H = 160;
  const step = W / b.length;
  const barWidth = Math.min(step * 0.7, 36);
  return (
    <figure class="timeline">
      <figcaption id={props.id}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-labelledby={props.id} class="chart">
        <line x1="0" y1={H} x2={W} y2={H} class="axis" />
        {b.map((x, i) => {
          const h = (x.count / max) * (H - 10);
          return (
            <g key={x.start}>
              <rect x={i * step + (step - barWidth) / 2} y={H - h} width={barWidth} height={h} class="col">
                <title>{`${dayOf(x.start)}: ${x.count}`}</title>
              </rect>
              {(b.length <= 14 || i % Math.ceil(b.length / 10) === 0) && (
                <text x={i * step + step / 2} y={H + 14} text-anchor="middle" class="tick">{dayOf(x.start)}</text>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{t('polls.timelineTable')}</summary>
        <table>
          <thead><tr><th scope="col">{t('polls.day')}</th><th scope="col">{props.countLabel}</th></tr></thead>
          <tbody>{b.map((x) => <tr key={x.start}><td>{dayOf(x.start)}</td><td>{x.count}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

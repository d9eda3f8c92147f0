/** One bar per choice: its label, count and share (polls and surveys alike). */
export interface BarItem {
  id: string | number;
  label: string;
  count: number;
  percent: number;
}

export function Bars(props: { items: BarItem[]; label?: string }) {
  return (
    <ul class="bars" aria-label={props.label}>
      {props.items.map((o) => (
        <li key={o.id}>
          <div class="bar-label"><span dir="auto">{o.label}</span><span class="bar-figures">{o.count} · {o.percent}%</span></div>
          <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect x="0" y="0" width="100" height="6" class="bar-bg" />
            <rect x="0" y="0" width={String(o.percent)} height="6" class="bar-fg" />
          </svg>
        </li>
      ))}
    </ul>
  );
}

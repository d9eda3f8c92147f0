/** One download: the query after "export?" and its words. A new format is one more entry in the caller's list. */
export interface ExportFormat {
  query: string;
  label: string;
}

/** The download links of an export endpoint, as a list. */
export function ExportMenu(props: { base: string; formats: ExportFormat[]; label: string }) {
  return (
    <ul class="exports" aria-label={props.label}>
      {props.formats.map((f) => (
        <li key={f.query}>
          <a class="button" href={`${props.base}?${f.query}`} download>{f.label}</a>
        </li>
      ))}
    </ul>
  );
}

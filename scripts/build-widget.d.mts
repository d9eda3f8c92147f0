export interface BuiltBundle {
  file: string;
  hash: string;
  bytes: number;
}
export function buildWidget(outdir?: string): Promise<{ outdir: string; survey: BuiltBundle } & BuiltBundle>;

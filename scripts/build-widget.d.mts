export function buildWidget(outdir?: string): Promise<{ outdir: string; file: string; hash: string; bytes: number }>;

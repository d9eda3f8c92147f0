export function buildConsole(outdir?: string): Promise<{ outdir: string; files: { js: string; css: string }; js: Buffer; css: Buffer }>;

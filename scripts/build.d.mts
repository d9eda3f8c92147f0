export function sourceHash(root?: string): string;
export function build(opts?: { root?: string; outdir?: string }): Promise<{
  outdir: string;
  widget: { outdir: string; file: string; hash: string; bytes: number };
  info: { version: string; sourceHash: string; builtAt: string; node: string };
}>;

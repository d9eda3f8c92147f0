export class StartError extends Error {}
export function plan(root?: string, env?: Record<string, string | undefined>): Promise<{ build: boolean; why: string }>;

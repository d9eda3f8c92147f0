import type { Express, Request } from 'express';

const SETTING = 'ykien public origin';

/** Remembers PUBLIC_URL's origin on the app; called once by createApp. */
export function setPublicOrigin(app: Express, publicUrl: string | undefined): void {
  app.set(SETTING, publicUrl ? new URL(publicUrl).origin : undefined);
}

/**
 * This service's own origin as browsers see it. PUBLIC_URL's when set: behind a TLS-terminating
 * proxy req.protocol is "http" (real browsers, saying https, looked foreign) and Host is whatever
 * a client sends (a forged post could name itself). Without PUBLIC_URL, the request's own.
 */
export function publicOrigin(req: Request): string {
  return (req.app.get(SETTING) as string | undefined) ?? `${req.protocol}://${req.get('host')}`;
}

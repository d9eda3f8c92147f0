import type { Request, Response } from 'express';

/**
 * The console's session cookie. Over https (PUBLIC_URL) it is `__Host-ykien_session`: the browser then
 * insists on Secure, Path=/ and no Domain, so no other host under the same domain (another portal on a
 * sub-domain) can set or read it. On plain http (a dev machine) the prefix would be refused: plain name.
 * No Max-Age: it goes when the browser closes (a shared office PC), and the server ends it sooner anyway.
 */
export function sessionCookie(publicUrl: string | undefined) {
  const secure = publicUrl?.startsWith('https:') ?? false;
  const name = secure ? '__Host-ykien_session' : 'ykien_session';
  const attributes = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return {
    name,
    /** The token the request carries, if any (the first of that name). */
    read(req: Request): string | undefined {
      for (const part of (req.get('cookie') ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
      }
      return undefined;
    },
    set: (res: Response, token: string) => void res.append('Set-Cookie', `${name}=${token}; ${attributes}`),
    clear: (res: Response) => void res.append('Set-Cookie', `${name}=; ${attributes}; Max-Age=0`),
  };
}

export type SessionCookie = ReturnType<typeof sessionCookie>;

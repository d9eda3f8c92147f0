/**
 * Who did something, as the audit log records it, by id AND name (two keys may share a name, "Quản trị"):
 * an API key (its id), a person (user:<username>, their display name), or the server's command line.
 */
export interface Actor {
  id: string;
  name: string;
}

/** Work done on the server itself, without a key: the CLI, the demo seed. */
export const CLI: Actor = { id: 'cli', name: 'cli' };
export const SEED: Actor = { id: 'seed', name: 'seed' };

/**
 * What services accept: an Actor, or a bare name, kept for the callers that only ever had a name
 * (tests, scripts). A bare name has no key id, except the two system names that are their own id.
 */
export type ActorRef = Actor | string;

const SYSTEM: Record<string, Actor> = { cli: CLI, seed: SEED };

export function resolveActor(a: ActorRef): { id: string | null; name: string } {
  if (typeof a !== 'string') return a;
  return SYSTEM[a] ?? { id: null, name: a };
}

export const actorName = (a: ActorRef): string => (typeof a === 'string' ? a : a.name);

/** A person signed in to the console: "user:<username>" can never be a key's id (those have no colon). */
export const userActor = (u: { username: string; displayName: string }): Actor => ({ id: `user:${u.username}`, name: u.displayName });

/** The actor behind an authenticated principal: a key, or a person (whose principal id is already "user:<username>"). */
export const principalActor = (p: { id: string; name: string }): Actor => ({ id: p.id, name: p.name });

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/access/principal.js';
import { commentsApp, form, THREAD } from './comments.fixtures.js';

const ADMIN: Principal = { kind: 'key', id: 'k', name: 'Kiểm thử', role: 'admin', sites: null };

/** What a reader can see, counted the slow way. */
const VISIBLE = `SELECT COUNT(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
  WHERE c.site_id = 'xa-a' AND c.thread_key = ? AND c.status = 'approved' AND (c.parent_id IS NULL OR p.status = 'approved')`;

type Op =
  | { kind: 'post'; pick: number; reply: boolean }
  | { kind: 'act'; pick: number; action: 'approve' | 'reject' | 'spam' | 'delete' }
  | { kind: 'bulk'; picks: number[]; action: 'approve' | 'reject' | 'spam' | 'delete' }
  | { kind: 'erase'; who: number };

const action = fc.constantFrom('approve', 'reject', 'spam', 'delete') as fc.Arbitrary<'approve' | 'reject' | 'spam' | 'delete'>;
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), pick: fc.nat(50), reply: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('act' as const), pick: fc.nat(50), action }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bulk' as const), picks: fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }), action }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), who: fc.nat(2) }) },
);

describe('per-thread approved counter', () => {
  it('always equals a recount of visible comments, whatever moderators do (property)', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const c = t.services.comments;
    let run = 0;
    let posts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const thread = `${THREAD}-${++run}`;
        const ids = () => t.sql.column<string>('SELECT id FROM comments WHERE thread_key = ? ORDER BY created_at, id', thread);
        for (const o of ops) {
          const all = await ids();
          try {
            if (o.kind === 'post') {
              const parents = await t.sql.column<string>("SELECT id FROM comments WHERE thread_key = ? AND parent_id IS NULL AND status = 'approved' ORDER BY id", thread);
              const parentId = o.reply && parents.length ? parents[o.pick % parents.length] : undefined;
              const content = `Ý kiến số ${++posts}`; // each its own: a repeat would be refused as duplicate_comment
              await c.post('xa-a', thread, { ...form({ email: `nguoi${o.pick % 3}@example.vn`, content }), parentId, website: undefined }, { ip: '10.0.0.1', userAgent: 'ua' });
            } else if (o.kind === 'act' && all.length) {
              await c.moderation.act(ADMIN, all[o.pick % all.length]!, o.action);
            } else if (o.kind === 'bulk' && all.length) {
              await c.moderation.bulk(ADMIN, o.picks.map((p) => all[p % all.length]!), o.action);
            } else if (o.kind === 'erase') {
              await c.moderation.erase(ADMIN, 'xa-a', `nguoi${o.who}@example.vn`);
            }
          } catch (err) {
            // Only refusals the API documents may happen here.
            expect((err as { code?: string }).code).toMatch(/^(parent_not_found|reply_too_deep)$/);
          }
          expect((await t.storage.comments.page('xa-a', thread, undefined, 1)).visible).toBe(await t.sql.value(VISIBLE, thread));
        }
      }),
      { numRuns: 60 },
    );
  });
});

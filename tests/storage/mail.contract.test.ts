import { expect, it } from 'vitest';
import type { NewComment } from '../../src/comments/comments.store.js';
import type { ComposedMail } from '../../src/mail/mail.store.js';
import type { Storage } from '../../src/storage/storage.js';
import { forEachBackend, openAnother, seedSite } from './backends.js';

const T0 = 1_780_000_000_000;
let seq = 0;

async function pendingComment(s: Storage, over: Partial<NewComment> = {}): Promise<string> {
  const id = `ml${++seq}x`;
  await s.comments.insert(
    {
      id, siteId: 'xa-a', threadKey: '/bai-1', parentId: null, name: 'Nguyễn Văn An', address: null, email: 'an@example.vn',
      content: 'Ý kiến chờ duyệt.', status: 'pending', spamReason: null, ipHash: 'ip-1', userAgent: 'UA', repeatKey: null, createdAt: T0, ...over,
    },
    () => 0,
  );
  return id;
}

const mail = (recipients: string[], kind: ComposedMail['kind'] = 'comment'): ComposedMail => ({
  batch: `b${++seq}`, kind, recipients, subject: 'Ý kiến mới chờ duyệt', text: 'Nội dung', html: '<p>Nội dung</p>',
});

forEachBackend('mail store', (open) => {
  it('queues a comment once, hands waiting comments to the plan, writes one outbox row per recipient and consumes what the plan says', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    const a = await pendingComment(s);
    const b = await pendingComment(s, { name: 'Trần Thị Bình' });
    await s.mail.enqueue('xa-a', a, T0);
    await s.mail.enqueue('xa-a', a, T0 + 5); // again: nothing changes
    await s.mail.enqueue('xa-a', b, T0 + 10);
    expect(await s.mail.waitingSites()).toEqual([{ siteId: 'xa-a', waiting: 2, oldestAt: T0 }]);

    let seen: unknown;
    const written = await s.mail.compose('xa-a', T0 - 3_600_000, T0 + 20, (waiting, recent) => {
      seen = { waiting: waiting.map((w) => [w.id, w.name, w.status, w.queuedAt]), recent };
      return { mails: [mail(['a@xa.vn', 'b@xa.vn'])], consumed: [a] };
    });
    expect(written).toBe(2);
    expect(seen).toEqual({ waiting: [[a, 'Nguyễn Văn An', 'pending', T0], [b, 'Trần Thị Bình', 'pending', T0 + 10]], recent: 0 });
    expect(await s.mail.waitingSites()).toEqual([{ siteId: 'xa-a', waiting: 1, oldestAt: T0 + 10 }]);
    expect(await s.mail.counts()).toEqual({ waiting: 1, queued: 2, failed: 0 });
    // The comment mail just written counts (once, whatever its recipients) towards the hour's mails.
    await s.mail.compose('xa-a', T0 - 3_600_000, T0 + 30, (_w, recent) => {
      expect(recent).toBe(1);
      return { mails: [], consumed: [] };
    });
  });

  it('a plan that throws writes nothing', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    const a = await pendingComment(s);
    await s.mail.enqueue('xa-a', a, T0);
    await expect(
      s.mail.compose('xa-a', T0, T0, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await s.mail.counts()).toEqual({ waiting: 1, queued: 0, failed: 0 });
  });

  it('a claim takes due mails for the lease: nobody else gets them until it runs out; sent, retry and fail settle them', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    const a = await pendingComment(s);
    await s.mail.enqueue('xa-a', a, T0);
    await s.mail.compose('xa-a', T0, T0, () => ({ mails: [mail(['a@xa.vn', 'b@xa.vn', 'c@xa.vn'])], consumed: [a] }));
    const other = await openAnother(s);
    const [one, two] = await Promise.all([s.mail.claim(T0, 60_000, 10), other.mail.claim(T0, 60_000, 10)]);
    const all = [...one, ...two];
    expect(all.map((m) => m.recipient).sort()).toEqual(['a@xa.vn', 'b@xa.vn', 'c@xa.vn']);
    expect(all.every((m) => m.attempts === 1 && m.subject === 'Ý kiến mới chờ duyệt' && m.html === '<p>Nội dung</p>')).toBe(true);
    expect(await s.mail.claim(T0 + 59_999, 60_000, 10)).toEqual([]);

    const [x, y, z] = all;
    await s.mail.sent(x!.id, T0 + 1);
    await s.mail.retry(y!.id, T0 + 120_000, 'temporary: 421');
    // z's sender died: its claim runs out and it is due again, a second attempt.
    const again = await s.mail.claim(T0 + 60_000, 60_000, 10);
    expect(again.map((m) => [m.id, m.attempts])).toEqual([[z!.id, 2]]);
    await s.mail.fail(z!.id, T0 + 60_001, 'rejected: 550');
    expect((await s.mail.claim(T0 + 120_000, 60_000, 10)).map((m) => [m.id, m.attempts])).toEqual([[y!.id, 2]]);
    // A mail already settled is not settled again.
    await s.mail.retry(x!.id, T0, 'late');
    expect(await s.mail.claim(T0 + 10_000_000, 60_000, 10)).toHaveLength(1); // y again, after its lease; never x or z
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 1, failed: 1 });
    // A retried mail comes back whole for its next attempt.
    const drained = await s.mail.claim(T0 + 100_000_000, 60_000, 10);
    expect(drained.map((m) => m.id)).toEqual([y!.id]);
    await s.mail.sent(y!.id, T0 + 2);
    await s.mail.compose('xa-a', T0, T0 + 3, () => ({ mails: [mail(['d@xa.vn'])], consumed: [] }));
    const d = (await s.mail.claim(T0 + 3, 60_000, 10))[0]!;
    await s.mail.retry(d.id, T0 + 3, 'temporary: 421');
    expect((await s.mail.claim(T0 + 3, 60_000, 10))[0]).toMatchObject({ id: d.id, text: 'Nội dung', html: '<p>Nội dung</p>', attempts: 2 });
    expect(await s.mail.prune(T0 + 60_002)).toBe(3);
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 1, failed: 0 });
  });

  it('a sent or failed mail is never claimed again', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.mail.compose('xa-a', T0, T0, () => ({ mails: [mail(['a@xa.vn', 'b@xa.vn'])], consumed: [] }));
    const [a, b] = await s.mail.claim(T0, 60_000, 10);
    await s.mail.sent(a!.id, T0 + 1);
    await s.mail.fail(b!.id, T0 + 1, 'rejected: 550');
    expect(await s.mail.claim(T0 + 10_000_000, 60_000, 10)).toEqual([]);
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 0, failed: 1 });
  });

  it('prunes only what is settled and older than asked', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    await s.mail.compose('xa-a', T0, T0, () => ({ mails: [mail(['a@xa.vn', 'b@xa.vn'])], consumed: [] }));
    const [a] = await s.mail.claim(T0, 60_000, 1);
    await s.mail.sent(a!.id, T0 + 10);
    expect(await s.mail.prune(T0 + 10)).toBe(0);
    expect(await s.mail.prune(T0 + 11)).toBe(1);
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 1, failed: 0 });
  });

  it('two instances composing one site at once put each comment in one mail', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    for (let i = 0; i < 5; i++) await s.mail.enqueue('xa-a', await pendingComment(s), T0 + i);
    const other = await openAnother(s);
    const plan = (waiting: { id: string }[]) => ({ mails: waiting.map(() => mail(['a@xa.vn'])), consumed: waiting.map((w) => w.id) });
    const written = await Promise.all([s.mail.compose('xa-a', T0, T0, plan), other.mail.compose('xa-a', T0, T0, plan), s.mail.compose('xa-a', T0, T0, plan)]);
    expect(written.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 5, failed: 0 });
  });

  it('deleting a comment or its site takes its queued mail along', async () => {
    const s = await open();
    await seedSite(s, 'xa-a');
    const a = await pendingComment(s);
    await s.mail.enqueue('xa-a', a, T0);
    await s.mail.compose('xa-a', T0, T0, () => ({ mails: [mail(['a@xa.vn'])], consumed: [] }));
    await s.sites.remove('xa-a', () => ({ at: T0, actorName: 't', actorId: null, action: 'site.delete', targetType: 'site', targetId: 'xa-a', siteId: 'xa-a', detail: null }));
    expect(await s.mail.counts()).toEqual({ waiting: 0, queued: 0, failed: 0 });
  });
});

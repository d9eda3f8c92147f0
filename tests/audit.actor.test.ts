import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { migrate } from '../src/storage/sqlite/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { post } from './comments.fixtures.js';
import { createSite, makeTestApp, newVoter, databaseBefore } from './helpers/app.js';

interface Entry {
  actor: string;
  actorId: string | null;
  action: string;
}

describe('audit entries name the key by id as well as by name', () => {
  it('tells apart two keys with the same name, on every audited admin action', async () => {
    const t = await makeTestApp();
    const one = await t.services.keys.create({ name: 'Quản trị', role: 'admin' });
    const two = await t.services.keys.create({ name: 'Quản trị', role: 'admin' });
    const as = (k: { key: string }) => ({
      get: (u: string) => t.http.get(u).set('Authorization', `Bearer ${k.key}`),
      post: (u: string, b?: object) => t.http.post(u).set('Authorization', `Bearer ${k.key}`).send(b),
      patch: (u: string, b: object) => t.http.patch(u).set('Authorization', `Bearer ${k.key}`).send(b),
      put: (u: string, b: object) => t.http.put(u).set('Authorization', `Bearer ${k.key}`).send(b),
      delete: (u: string) => t.http.delete(u).set('Authorization', `Bearer ${k.key}`),
    });
    const a = as(one);
    const b = as(two);

    // Every admin action that writes an audit entry, split between the two keys.
    await a.post('/v1/admin/sites', { id: 'xa-a', name: 'Xã A', origins: [], premoderation: true }).expect(201);
    await b.patch('/v1/admin/sites/xa-a', { name: 'Xã A (mới)' }).expect(200);
    await a.post('/v1/admin/sites/xa-a/origins', { add: ['https://xa-a.example.vn'] }).expect(200);
    await b.put('/v1/admin/sites/xa-a/counters', { siteVisits: 10 }).expect(200);
    await a.put('/v1/admin/sites/xa-a/webhook', { url: 'https://xa-a.example.vn/hook', secret: 'mot-chuoi-bi-mat-du-dai' }).expect(200);
    await b.delete('/v1/admin/sites/xa-a/webhook').expect(204);
    const poll = (await a.post('/v1/admin/polls', { site: 'xa-a', question: 'Câu hỏi?', options: ['Có', 'Không'] }).expect(201)).body;
    await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0].id], voterId: newVoter() }).expect(201);
    await b.patch(`/v1/admin/polls/${poll.id}`, { question: 'Câu hỏi mới?' }).expect(200);
    await a.post(`/v1/admin/polls/${poll.id}/close`).expect(200);
    await b.post(`/v1/admin/polls/${poll.id}/reopen`).expect(200);
    await a.get(`/v1/admin/polls/${poll.id}/export?format=csv`).expect(200);
    await b.get('/v1/admin/comments/export?site=xa-a&format=json').expect(200);
    const c1 = await post(t, { email: 'an@example.vn' }, '/v1/sites/xa-a/threads/bai-1/comments');
    const c2 = await post(t, {}, '/v1/sites/xa-a/threads/bai-1/comments');
    await a.post(`/v1/admin/comments/${c2}/approve`).expect(200);
    await b.post('/v1/admin/comments/moderate', { ids: [c2], action: 'reject' }).expect(200);
    await a.delete(`/v1/admin/comments/${c2}`).expect(204);
    await b.delete('/v1/admin/commenters?site=xa-a&email=an%40example.vn').expect(200);
    expect(c1).toBeTruthy();
    await a.delete(`/v1/admin/polls/${poll.id}`).expect(204);
    await b.delete('/v1/admin/sites/xa-a?confirm=xa-a').expect(200);
    const made = (await a.post('/v1/admin/keys', { name: 'Kịch bản', role: 'admin' }).expect(201)).body;
    await b.delete(`/v1/admin/keys/${made.id}`).expect(204);

    // The keys themselves (these two and the test app's own) were made on the server ("cli").
    const all = (await a.get('/v1/admin/audit?limit=500')).body.entries as Entry[];
    expect(all.filter((e) => e.actorId === 'cli').map((e) => e.action)).toEqual(['key.create', 'key.create', 'key.create']);
    const entries = all.filter((e) => e.actorId !== 'cli');
    const actions = entries.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'site.create', 'site.update', 'site.origins', 'counters.set', 'webhook.set', 'webhook.delete', 'poll.create', 'poll.update',
      'poll.close', 'poll.reopen', 'poll.export', 'comment.export', 'comment.approve', 'comment.reject', 'comment.delete',
      'commenter.erase', 'poll.delete', 'site.delete', 'key.create', 'key.revoke',
    ]);
    for (const e of entries) {
      expect(e.actor, e.action).toBe('Quản trị');
      expect([one.row.id, two.row.id], e.action).toContain(e.actorId);
    }
    const byKey = (id: string) => entries.filter((e) => e.actorId === id).map((e) => e.action).reverse();
    expect(byKey(one.row.id)).toEqual(['site.create', 'site.origins', 'webhook.set', 'poll.create', 'poll.close', 'poll.export', 'comment.approve', 'comment.delete', 'poll.delete', 'key.create']);
    expect(byKey(two.row.id)).toEqual(['site.update', 'counters.set', 'webhook.delete', 'poll.update', 'poll.reopen', 'comment.export', 'comment.reject', 'commenter.erase', 'site.delete', 'key.revoke']);
  });

  it('records a moderator key by id too, and the command line as "cli"', async () => {
    const t = await makeTestApp();
    await createSite(t);
    const mod = await t.services.keys.create({ name: 'Biên tập xã', role: 'moderator', siteId: 'xa-a' });
    const id = await post(t, {}, '/v1/sites/xa-a/threads/bai-1/comments');
    await t.http.post(`/v1/admin/comments/${id}/approve`).set('Authorization', `Bearer ${mod.key}`).expect(200);
    const out: string[] = [];
    expect(await runCli(['sites', 'origins', 'add', 'xa-a', 'https://moi.example.vn'], { ...t.databaseEnv, LOG_LEVEL: 'silent' }, (l) => out.push(l), (l) => out.push(l))).toBe(0);
    const entries = (await t.admin.get('/v1/admin/audit?site=xa-a')).body.entries as Entry[];
    expect(entries.slice(0, 2).map(({ actor, actorId, action }) => ({ actor, actorId, action }))).toEqual([
      { actor: 'cli', actorId: 'cli', action: 'site.origins' },
      { actor: 'Biên tập xã', actorId: mod.row.id, action: 'comment.approve' },
    ]);
  });

  it('migration 007 adds actor_id: older CLI entries become "cli", older key entries stay unknown (null)', () => {
    const db = databaseBefore('007');
    db.prepare("INSERT INTO audit_log (at, actor, action, target_type) VALUES (1, 'cli', 'db.backup', 'database'), (2, 'Quản trị', 'poll.create', 'poll')").run();
    migrate(db, MIGRATIONS_DIR);
    expect(db.prepare('SELECT actor, actor_id FROM audit_log ORDER BY id').all()).toEqual([
      { actor: 'cli', actor_id: 'cli' },
      { actor: 'Quản trị', actor_id: null },
    ]);
    db.close();
  });
});

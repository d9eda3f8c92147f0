import { describe, expect, it } from 'vitest';
import { matchBlockedWords } from '../src/comments/spam.js';
import { expectProblem } from './helpers/app.js';
import { base, commentsApp, form } from './comments.fixtures.js';

const statusOf = async (t: Awaited<ReturnType<typeof commentsApp>>, id: string) =>
  (await t.sql.rows('SELECT status, spam_reason FROM comments WHERE id = ?', id))[0] as { status: string; spam_reason: string | null };

describe('blocked words per site (issue 10 §6)', () => {
  it('matches whole words case-insensitively on NFC text, and the same letters typed without any diacritics', () => {
    const words = ['cá độ', 'lô đề'];
    const hits = (text: string) => matchBlockedWords(text, words);
    expect(hits('Tham gia cá độ bóng đá')).toEqual(['cá độ']);
    expect(hits('CÁ ĐỘ, LÔ ĐỀ online')).toEqual(['cá độ', 'lô đề']);
    expect(hits('Ca do bong da, lo de')).toEqual(['cá độ', 'lô đề']);        // no diacritics at all: the usual dodge
    expect(hits('ca đo')).toEqual(['cá độ']);                                // some left off
    expect(hits('cá   độ')).toEqual(['cá độ']);                              // several spaces
    expect(hits('cá\u200B độ, c\u00ADá độ')).toEqual(['cá độ']);              // invisible characters
    expect(hits('ca\u0301 đô\u0323')).toEqual(['cá độ']);                    // decomposed (NFD) input
    expect(hits('ＣＡ ＤＯ')).toEqual(['cá độ']);                              // fullwidth letters
    // Different words that only share the letters are not hits.
    expect(hits('ca đó')).toEqual([]);         // "that shift"
    expect(hits('cà dở')).toEqual([]);
    expect(hits('các độ tuổi')).toEqual([]);   // "cá" is not a word of its own here
    expect(hits('cá độc')).toEqual([]);
    expect(hits('lô đềxuất')).toEqual([]);
    expect(hits('')).toEqual([]);
    expect(matchBlockedWords('Cá độ', [])).toEqual([]);
  });

  it('an admin keeps a list per site; a hit goes to spam or pending as the site says', async () => {
    const t = await commentsApp({}, { premoderation: false });
    const set = await t.admin.patch('/v1/admin/sites/xa-a', { blockedWords: ['  Cá   Độ ', 'lô đề', 'cá độ', 'ca\u0301 đô\u0323'], blockedWordsAction: 'spam' });
    expect(set.status).toBe(200);
    // Stored normalised (NFC, lower case, single spaces) and without duplicates.
    expect(set.body).toMatchObject({ blockedWords: ['cá độ', 'lô đề'], blockedWordsAction: 'spam' });
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body.blockedWords).toEqual(['cá độ', 'lô đề']);

    const spam = await t.http.post(base()).send(form({ content: 'Nhận CA DO bóng đá, uy tín' }));
    expect(spam.status).toBe(202);
    expect(spam.body).toEqual({ id: spam.body.id, status: 'pending' }); // told the same as everybody
    expect(await statusOf(t, spam.body.id)).toEqual({ status: 'spam', spam_reason: 'words:1' });
    const inName = await t.http.post(base()).send(form({ name: 'Lô Đề 247' }));
    expect((await statusOf(t, inName.body.id)).status).toBe('spam');
    const fine = await t.http.post(base()).send(form({ content: 'Ca đó ai trực vậy?' }));
    expect(fine.status).toBe(201);
    expect((await t.http.get(base())).body.total).toBe(1);

    // "pending": held for a moderator even with premoderation off.
    await t.admin.patch('/v1/admin/sites/xa-a', { blockedWordsAction: 'pending' });
    const held = await t.http.post(base()).send(form({ content: 'cá độ' }));
    expect(held.status).toBe(202);
    expect(await statusOf(t, held.body.id)).toEqual({ status: 'pending', spam_reason: 'words:1' });
    expect((await t.http.get(base())).body.total).toBe(1);

    // Emptying the list stops it.
    await t.admin.patch('/v1/admin/sites/xa-a', { blockedWords: [] });
    expect((await t.http.post(base()).send(form({ content: 'Cá độ là gì vậy?' }))).status).toBe(201);
    const audit = (await t.admin.get('/v1/admin/audit?site=xa-a&action=site.update')).body.entries;
    expect(audit).toHaveLength(3);
  });

  it('a new site has an empty list, action "pending"; bad lists are refused and only admins may set them', async () => {
    const t = await commentsApp();
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body).toMatchObject({ blockedWords: [], blockedWordsAction: 'pending' });
    for (const body of [
      { blockedWords: 'cá độ' },
      { blockedWords: [''] },
      { blockedWords: ['   '] },
      { blockedWords: [42] },
      { blockedWords: ['x'.repeat(61)] },
      { blockedWords: Array.from({ length: 501 }, (_, i) => `từ ${i}`) },
      { blockedWords: ['a\u0000b'] },
      { blockedWordsAction: 'delete' },
    ])
      expectProblem(await t.admin.patch('/v1/admin/sites/xa-a', body), 400, 'validation_failed');
    const mod = (await t.services.keys.create({ name: 'Mod', role: 'moderator', siteId: 'xa-a' })).key;
    expectProblem(await t.http.patch('/v1/admin/sites/xa-a').set('Authorization', `Bearer ${mod}`).send({ blockedWords: ['x'] }), 403, 'forbidden');
    expect((await t.admin.get('/v1/admin/sites/xa-a')).body.blockedWords).toEqual([]);
  });
});

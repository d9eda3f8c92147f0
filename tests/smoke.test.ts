import { describe, expect, it } from 'vitest';
import { createPoll, createSite, makeTestApp, newVoter } from './helpers/app.js';

describe('smoke', () => {
  it('creates a poll, votes and reads results', async () => {
    const t = makeTestApp();
    await createSite(t);
    const poll = await createPoll(t);
    const v = await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[1]!.id], voterId: newVoter() });
    expect(v.status).toBe(201);
    const r = await t.http.get(`/v1/polls/${poll.id}/results`);
    expect(r.body.total).toBe(1);
    expect(r.body.options.map((o: { percent: number }) => o.percent)).toEqual([0, 100, 0]);
  });
});

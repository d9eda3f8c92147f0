import { createPoll, createSite, makeTestApp, newVoter, type TestApp } from '../helpers/app.js';
import type { Endpoint } from './endpoints.js';
import { answersFor, createSurvey } from '../helpers/surveys.js';

export interface Fixture {
  t: TestApp;
  ids: Record<string, string>;
}

/** A site with a poll (one vote), a survey (one response) and a thread with one pending comment. */
export async function buildFixture(overrides: Parameters<typeof makeTestApp>[0] = {}): Promise<Fixture> {
  const t = await makeTestApp(overrides);
  await createSite(t);
  const poll = await createPoll(t);
  await t.http.post(`/v1/polls/${poll.id}/votes`).send({ optionIds: [poll.options[0]!.id], voterId: newVoter() });
  const ids: Record<string, string> = { site: 'xa-a', poll: poll.id, option: poll.options[0]!.id, thread: 'bai-viet-1', page: 'bai-viet-1', comment: 'none' };
  const c = await t.http
    .post('/v1/sites/xa-a/threads/bai-viet-1/comments')
    .send({ name: 'Nguyễn Văn A', content: 'Bài viết rất hữu ích.' });
  if (c.status !== 202) throw new Error(`fixture comment: ${c.status} ${JSON.stringify(c.body)}`);
  ids.comment = String(c.body.id);
  const survey = await createSurvey(t);
  await t.http.post(`/v1/surveys/${survey.survey.id}/responses`).send({ respondentId: newVoter(), answers: answersFor(survey, 0, 'Góp ý') });
  ids.survey = survey.survey.id;
  return { t, ids };
}

export const fill = (e: Endpoint, ids: Record<string, string>) => e.path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? k);

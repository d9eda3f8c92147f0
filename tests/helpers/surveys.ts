import type { AdminSurvey, Question } from '../../src/api/surveys.js';
import type { TestApp } from './app.js';

/** A survey with every question type: what most survey suites start from. */
export const EVERY_TYPE = {
  title: 'Khảo sát về cổng thông tin xã',
  intro: 'Xin bạn dành một phút.',
  questions: [
    { type: 'single', section: 'Thông tin chung', title: 'Bạn ở thôn nào?', required: true, options: ['Thôn Đông', 'Thôn Tây', 'Thôn Nam'] },
    { type: 'multiple', title: 'Bạn tra cứu gì?', options: ['Thủ tục', 'Tin tức', 'Lịch tiếp dân', 'Văn bản'], maxChoices: 2 },
    { type: 'scale', section: 'Đánh giá', title: 'Bạn hài lòng ở mức nào?', required: true, scale: { min: 1, max: 5, labels: ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'] } },
    { type: 'matrix', title: 'Công chức', required: true, items: ['Lịch sự', 'Lắng nghe'], scale: { min: 1, max: 5 } },
    { type: 'text', title: 'Góp ý của bạn', multiline: true, maxLength: 50 },
  ],
};

export type Q<T extends Question['type']> = Extract<Question, { type: T }>;

/** Creates a survey with every type (or `body`'s overrides) on site xa-a through the admin API. */
export async function createSurvey(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.admin.post('/v1/admin/surveys', { site: 'xa-a', ...EVERY_TYPE, ...body });
  if (res.status !== 201) throw new Error(`createSurvey: ${res.status} ${JSON.stringify(res.body)}`);
  const s = res.body as AdminSurvey;
  const [single, multiple, scale, matrix, text] = s.questions as [Q<'single'>, Q<'multiple'>, Q<'scale'>, Q<'matrix'>, Q<'text'>];
  return { survey: s, single, multiple, scale, matrix, text };
}

export type Fixture = Awaited<ReturnType<typeof createSurvey>>;

/** A valid answer to every question of EVERY_TYPE, varied by n. */
export const answersFor = (f: Fixture, n = 0, text?: string) => ({
  [f.single.id]: f.single.options[n % 3]!.id,
  [f.multiple.id]: [f.multiple.options[0]!.id, f.multiple.options[1 + (n % 3)]!.id],
  [f.scale.id]: 1 + (n % 5),
  [f.matrix.id]: { [f.matrix.items[0]!.id]: 5, [f.matrix.items[1]!.id]: 1 + (n % 5) },
  ...(text !== undefined && { [f.text.id]: text }),
});

import type { SurveyTemplate } from './template.js';

const SATISFACTION = { min: 1, max: 5, labels: ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'] };

/**
 * The citizen-satisfaction questionnaire on public administrative services (the SIPAS shape of the
 * Ministry of Home Affairs): facts about the visit, four groups of criteria on the five-level scale, an
 * overall rating and a free suggestion. Data only; the admin edits the survey it makes.
 */
export const haiLongDichVuCong: SurveyTemplate = {
  id: 'hai-long-dich-vu-cong',
  title: 'Khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước',
  intro:
    'Để nâng cao chất lượng phục vụ, xin Ông/Bà vui lòng cho biết ý kiến về lần giải quyết thủ tục hành chính gần đây nhất. Phiếu khảo sát không ghi tên; thông tin chỉ dùng để cải thiện chất lượng phục vụ.',
  resultsVisibility: 'after_vote',
  questions: [
    {
      type: 'single',
      section: 'Thông tin chung',
      title: 'Ông/Bà đã giải quyết thủ tục hành chính thuộc lĩnh vực nào?',
      required: true,
      options: ['Đất đai', 'Tư pháp – Hộ tịch', 'Xây dựng', 'Đăng ký kinh doanh', 'Lao động – Thương binh và Xã hội', 'Lĩnh vực khác'],
    },
    {
      type: 'single',
      title: 'Ông/Bà đã phải đi lại bao nhiêu lần để giải quyết hồ sơ?',
      required: true,
      options: ['1 lần', '2 lần', '3 lần', 'Từ 4 lần trở lên'],
    },
    {
      type: 'single',
      title: 'Ông/Bà nộp hồ sơ theo cách nào?',
      required: true,
      options: ['Trực tiếp tại Bộ phận Một cửa', 'Qua dịch vụ bưu chính công ích', 'Trực tuyến trên Cổng Dịch vụ công'],
    },
    {
      type: 'matrix',
      section: 'Đánh giá sự phục vụ',
      title: 'Tiếp cận dịch vụ',
      required: true,
      scale: SATISFACTION,
      items: ['Nơi ngồi chờ có đủ chỗ ngồi', 'Trang thiết bị phục vụ đầy đủ, dễ sử dụng', 'Thông tin hướng dẫn được niêm yết rõ ràng, dễ hiểu'],
    },
    {
      type: 'matrix',
      title: 'Thủ tục hành chính',
      required: true,
      scale: SATISFACTION,
      items: ['Thủ tục được niêm yết công khai đầy đủ, chính xác', 'Thành phần hồ sơ đúng quy định', 'Phí, lệ phí đúng quy định', 'Thời hạn giải quyết đúng quy định'],
    },
    {
      type: 'matrix',
      title: 'Công chức giải quyết thủ tục',
      required: true,
      scale: SATISFACTION,
      items: [
        'Có thái độ giao tiếp lịch sự',
        'Chú ý lắng nghe ý kiến của người dân',
        'Trả lời, giải thích đầy đủ các ý kiến',
        'Hướng dẫn kê khai hồ sơ tận tình, dễ hiểu',
        'Tuân thủ đúng quy định trong giải quyết công việc',
      ],
    },
    {
      type: 'matrix',
      title: 'Kết quả giải quyết',
      required: true,
      scale: SATISFACTION,
      items: ['Kết quả đúng quy định', 'Kết quả có thông tin đầy đủ, chính xác', 'Nhận kết quả đúng hẹn'],
    },
    {
      type: 'scale',
      section: 'Đánh giá chung',
      title: 'Nhìn chung, Ông/Bà hài lòng ở mức nào với sự phục vụ của cơ quan?',
      required: true,
      scale: SATISFACTION,
    },
    {
      type: 'text',
      section: 'Góp ý',
      title: 'Ông/Bà có góp ý gì để cơ quan phục vụ tốt hơn?',
      required: false,
      multiline: true,
      maxLength: 2000,
    },
  ],
};

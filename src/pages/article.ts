/** The article of the demo page: a real commune portal article (xã Tiên Ngọc, Tiên Phước, Quảng Nam), abridged. */
export const ARTICLE = {
  title: "Đảng uỷ xã ban hành Kế hoạch quán triệt, tuyên truyền Kế hoạch số 206-KH/HU, ngày 15/5/2024 của Huyện uỷ về thực hiện Chương trình 55-CTr/TU, ngày 16/4/2024 của Tỉnh uỷ Quảng Nam, thực hiện Nghị quyết số 42-NQ/TW, ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới",
  posted: '15:27 | 08/06',
  summary: "Đảng uỷ xã ban hành Kế hoạch quán triệt, tuyên truyền Kế hoạch số 206-KH/HU, ngày 15/5/2024 của Huyện uỷ về thực hiện Chương trình 55-CTr/TU, ngày 16/4/2024 của Tỉnh uỷ Quảng Nam, thực hiện Nghị quyết số 42-NQ/TW, ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới",
  /** Paragraphs; short lines without a closing full stop ("I. MỤC ĐÍCH…", "1. Mục đích") are sub-headings. */
  body: [
    "Thực hiện Kế hoạch 206-KH/HU, ngày 15/5/2024 của Huyện uỷ Tiên Phước về thực hiện Nghị quyết số 42-NQ/TW, ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục đổi mới, nâng cao chất lượng chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới (viết tắt là Nghị quyết số 42-NQ/TW), Đảng uỷ xã ban hành kế hoạch quán triệt, tuyên truyền Kế hoạch 206 của Huyện uỷ và Chương trình 55-CTr/TU, ngày 16/4/2024 về thực hiện Nghị quyết số 42-NQ/TW trên địa bàn xã, cụ thể như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Nâng cao nhận thức của các chi bộ, UBND, Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội xã, cán bộ, đảng viên và Nhân dân về vai trò, vị trí, tầm quan trọng của Nghị quyết số 42- NQ/TW, ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục đổi mới, nâng cao chất lượng các chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới trên địa bàn xã.",
    "2. Yêu cầu",
    "- Các chi bộ trực thuộc Đảng bộ xã, UBND, UBMT các đoàn thể tổ chức phổ biến, quán triệt, tuyên truyền đầy đủ nội dung của kế hoạch này đến toàn thể cán bộ, đảng viên và các tầng lớp nhân dân.",
    "II. NỘI DUNG QUÁN TRIỆT, TUYÊN TRUYỀN",
    "1. Mục tiêu, chỉ tiêu",
    "- Đến năm 2030",
    "+ Mục tiêu tổng quát",
    "Xây dựng hệ thống chính sách xã hội theo hướng bền vững, tiến bộ và công bằng, không ngừng nâng cao đời sống vật chất, tinh thần của Nhân dân, góp phần vào sự nghiệp xây dựng và bảo vệ vững chắc Tổ quốc Việt Nam xã hội chủ nghĩa. Hoàn thiện chính sách an sinh xã hội đa dạng, đa tầng, toàn diện, hiện đại, bao trùm, bền vững; tạo cơ hội để Nhân dân, nhất là người nghèo, người có hoàn cảnh khó khăn, người sống ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn tiếp cận các dịch vụ xã hội cơ bản, đặc biệt là về y tế, giáo dục, nhà ở, thông tin. Phát triển thị trường lao động linh hoạt, hiệu quả, hội nhập quốc tế gắn với việc làm bền vững; nâng cao chất lượng quản lý, phát triển xã hội gắn với bảo đảm quyền con người, quyển công dân."
  ],
  author: 'Đảng uỷ xã',
};

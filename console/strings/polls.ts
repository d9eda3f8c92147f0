// A poll's starting figures (console/polls.starting.tsx): Vietnamese first, English second.
export const vi = {
  'start.title': 'Số liệu ban đầu',
  'start.hint': 'Số phiếu của từng phương án mang sang từ hệ thống cũ (số nguyên, từ 0). Số này được cộng vào kết quả, cả trên trang bình chọn, và được ghi riêng ở cột "Số phiếu ban đầu (nhập từ hệ thống cũ)" trong mọi tệp tải về. Số người đã bình chọn ở đây không đổi.',
  'start.current': 'Đang tính vào kết quả: {n} phiếu ban đầu trong tổng {total} lựa chọn.',
  'start.none': 'Chưa có số liệu ban đầu.',
  'start.save': 'Lưu số liệu ban đầu',
  'start.saved': 'Đã lưu: tổng {n} phiếu ban đầu.',
  'start.bad': 'Cần một số nguyên từ 0 đến {max}.',
  'start.inResults': 'Kết quả trên đã gồm {n} phiếu ban đầu từ hệ thống cũ.',
};

export const en: Record<keyof typeof vi, string> = {
  'start.title': 'Starting figures',
  'start.hint': 'Each option\'s votes brought from an old system (whole numbers, from 0). They are added to the results, on the poll\'s page too, and written in their own column, "Số phiếu ban đầu (nhập từ hệ thống cũ)", of every export. The number of people who voted here does not change.',
  'start.current': 'Counted in the results: {n} starting votes of {total} choices in all.',
  'start.none': 'No starting figures yet.',
  'start.save': 'Save starting figures',
  'start.saved': 'Saved: {n} starting votes in all.',
  'start.bad': 'A whole number from 0 to {max}.',
  'start.inResults': 'These results include {n} starting votes from an old system.',
};

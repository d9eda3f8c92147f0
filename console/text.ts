/** Text as people search it: without accents or case ("tien ngoc" finds "Tiên Ngọc", "dong" finds "Đồng"). */
export const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();

/** The sites whose name or id holds the query, accents optional. */
export const matchSites = <S extends { id: string; name: string }>(sites: S[], query: string): S[] => {
  const q = fold(query.trim());
  return q ? sites.filter((s) => fold(s.name).includes(q) || fold(s.id).includes(q)) : sites;
};

/**
 * The one rule for which page origins a site lets in: listed exactly, or every origin when the list holds "*".
 * The public endpoints' CORS (http/siteCors.ts) and the console's "check this page" helper
 * (sitesService.originCheck) both ask it, so the helper can never disagree with what a browser meets.
 */
export const originAllowed = (origins: readonly string[], origin: string): 'listed' | 'wildcard' | undefined =>
  origins.includes(origin) ? 'listed' : origins.includes('*') ? 'wildcard' : undefined;

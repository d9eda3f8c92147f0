/**
 * Crawler detection for the view counters. A request whose User-Agent matches is answered
 * with the figures but not counted; so is a request with no User-Agent at all (real browsers
 * always send one). The list errs on the side of counting people: in-app browsers (Zalo,
 * Facebook's FBAN/FBAV, Cốc Cốc's "coc_coc_browser") and phones like the Cubot must count.
 */
const NAMED = [
  // Search engines (Cốc Cốc is Vietnam's own; its *browser* says "coc_coc_browser", its crawler "coccocbot").
  'googlebot', 'google-inspectiontool', 'googleother', 'adsbot-google', 'mediapartners-google', 'apis-google',
  'feedfetcher-google', 'storebot-google', 'google-read-aloud', 'google-extended', 'bingbot', 'bingpreview', 'msnbot',
  'adidxbot', 'slurp', 'duckduckbot', 'duckassistbot', 'baiduspider', 'yandex(?:bot|images|mobilebot|accessibilitybot|metrika)',
  'yeti', 'sogou', '360spider', 'bytespider', 'petalbot', 'applebot', 'seznambot', 'qwantify', 'coccocbot',
  // Link previews in chat and social apps (not their in-app browsers).
  'facebookexternalhit', 'facebookcatalog', 'meta-external(?:agent|fetcher)', 'twitterbot', 'linkedinbot', 'pinterestbot',
  'slackbot', 'slack-imgproxy', 'telegrambot', 'discordbot', 'skypeuripreview', '^whatsapp/',
  'zalo[\\w ./-]{0,20}(?:preview|bot|crawler)', 'link-?preview', 'embedly', 'redditbot', 'vkshare',
  // SEO, AI and archive crawlers.
  'ahrefs(?:bot|siteaudit)', 'semrushbot', 'mj12bot', 'dotbot', 'blexbot', 'dataforseobot', 'serpstatbot', 'screaming frog',
  'rogerbot', 'barkrowler', 'gptbot', 'chatgpt-user', 'oai-searchbot', 'claudebot', 'claude-(?:web|user|searchbot)',
  'anthropic-ai', 'perplexity(?:bot|-user)', 'ccbot', 'amazonbot', 'diffbot', 'cohere-ai', 'ia_archiver', 'archive\\.org_bot',
  // Monitors and page-speed tools.
  'uptimerobot', 'pingdom', 'statuscake', 'site24x7', 'lighthouse', 'pagespeed', 'gtmetrix',
  // Headless browsers and HTTP libraries.
  'headlesschrome', 'phantomjs', 'puppeteer', 'playwright', 'selenium', 'webdriver', 'slimerjs',
  '^curl/', '^wget/', 'python-requests', 'python-urllib', 'python-httpx', 'aiohttp', 'scrapy', 'go-http-client',
  '^java/', 'okhttp', 'apache-httpclient', '^axios/', 'node-fetch', '^undici', 'libwww-perl', 'guzzlehttp', '^php/',
  'postmanruntime', 'insomnia', 'http_request2', '^ruby', 'wordpress/',
];

/** Generic words: "…bot" at a word's end (but not the Cubot phone), crawler, spider, scraper. */
const GENERIC = ['(?<!cu)bot\\b', 'bot[/_-]', 'crawl', 'spider', 'scraper', 'fetcher', 'monitor', 'headless'];

export const CRAWLER_PATTERN = new RegExp(`${NAMED.join('|')}|${GENERIC.join('|')}`, 'i');

/** True for a known crawler or a missing/blank User-Agent: answer, but do not count. */
export function isCrawler(userAgent: string | undefined): boolean {
  if (!userAgent || !userAgent.trim()) return true;
  return CRAWLER_PATTERN.test(userAgent.slice(0, 512));
}

import { isbot } from 'isbot';

/**
 * Crawler detection for the view counters. A view counts only when its User-Agent looks like a
 * real browser (browserLike) and neither isbot (a well-kept list of crawlers, previewers and HTTP
 * libraries) nor the list below knows it; a request with no User-Agent never counts. In-app
 * browsers (Zalo, Facebook's FBAN/FBAV, Cốc Cốc's "coc_coc_browser"), Samsung Internet, UC,
 * Opera (and Opera Mini) and phones like the Cubot must count.
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

/**
 * What every browser people use sends: "Mozilla/5.0 (platform…)" and a rendering engine's token
 * (WebKit/Blink, Gecko, Trident), or Opera Mini's "Opera/9.80 (…) Presto/". Scripts send "node",
 * "Java-http-client/17", "Dart/3.1", "k6/0.45", "Deno/1.36" or a bare "Mozilla/5.0".
 */
const BROWSER_LIKE = /^(?:Mozilla\/5\.0 \(.{2,}?(?:AppleWebKit|Gecko|Trident)\/|Opera\/9\.80 \(.{2,}?Presto\/)/;

export const browserLike = (userAgent: string): boolean => BROWSER_LIKE.test(userAgent);

/** True for a crawler, a script, or a missing/blank User-Agent: answer, but do not count. */
export function isCrawler(userAgent: string | undefined): boolean {
  if (!userAgent || !userAgent.trim()) return true;
  const ua = userAgent.slice(0, 512);
  return !browserLike(ua) || isbot(ua) || CRAWLER_PATTERN.test(ua);
}

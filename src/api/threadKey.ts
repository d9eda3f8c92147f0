/**
 * The thread key of a page whose `data-ykien-comments` is empty: its URL's path exactly as the browser gives
 * it (`location.pathname`: percent-encoded, trailing "/" kept). The widget reads it from `location`; the
 * importer from an old post's link (`new URL(link)`), so imported comments land in the thread the page shows.
 */
export const pathKey = (url: { pathname: string }): string => url.pathname || '/';

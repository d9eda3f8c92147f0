/** TRANSITION ONLY: stores not yet written for PostgreSQL throw at first use (each helper replaces its own). */
const notYet = (store: string) =>
  new Proxy({}, {
    get: (_t, method) => () => {
      throw new Error(`PostgreSQL ${store} store: ${String(method)} is not written yet`);
    },
  });

export const pendingStores = {
  captchas: notYet('captchas'),
  comments: notYet('comments'),
  webhooks: notYet('webhooks'),
  exports: notYet('exports'),
  retention: notYet('retention'),
  stats: notYet('stats'),
} as never as Pick<import('../storage.js').Storage, 'captchas' | 'comments' | 'webhooks' | 'exports' | 'retention' | 'stats'>;

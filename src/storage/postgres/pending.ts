/** TRANSITION ONLY: stores not yet written for PostgreSQL throw at first use (each helper replaces its own). */
const notYet = (store: string) =>
  new Proxy({}, {
    get: (_t, method) => () => {
      throw new Error(`PostgreSQL ${store} store: ${String(method)} is not written yet`);
    },
  });

export const pendingStores = {
  counters: notYet('counters'),
} as never as Pick<import('../storage.js').Storage, 'counters'>;

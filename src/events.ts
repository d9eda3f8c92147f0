/**
 * What happened, told by the service where it happened: metrics (and later anything else that
 * counts) listen here, so a count never depends on which route, page or job did the work.
 */
export type DomainEvent =
  | { type: 'vote.cast'; site: string }
  | { type: 'vote.refused'; reason: 'ip_limit' }
  | { type: 'survey.responded'; site: string }
  | { type: 'survey.refused'; reason: 'ip_limit' }
  | { type: 'comment.posted'; status: string }
  | { type: 'captcha.failed'; reason: string }
  | { type: 'rate.limited'; tier: string }
  | { type: 'mail.sent'; kind: 'comment' | 'digest' }
  | { type: 'mail.failed'; reason: string }
  | { type: 'mail.given_up'; reason: string }
  | { type: 'retention.ran'; erased: Record<string, number>; at: number };

export interface Events {
  emit(event: DomainEvent): void;
  /** Returns a function that stops listening. */
  on(listener: (event: DomainEvent) => void): () => void;
}

export function createEvents(): Events {
  const listeners = new Set<(event: DomainEvent) => void>();
  return {
    emit(event) {
      for (const l of listeners) l(event);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A tiny typed event bus for `CoreEvents`; hosts forward every event to their renderers. */
import type { CoreEvents, EventName } from './contract';

export type EventListener = <E extends EventName>(event: E, payload: CoreEvents[E]) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: CoreEvents[E]): void;
  /** Receive every event; returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const l of [...listeners]) {
        try {
          l(event, payload);
        } catch {
          // A failing listener must not break the others or the caller.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import type { EventName, EventPayload } from '../../../shared/contract';

type Listener = (name: EventName, payload: unknown) => void;

/** Core → transports. Each transport subscribes once and forwards every event to its renderer(s). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

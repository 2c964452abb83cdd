// A minimal typed event emitter. `on` returns its own unsubscribe function, which is what
// React effects and tests want.
//
// Each event's listeners are an array replaced (never changed) when one is added or
// removed, so an emit walks it as it was when the emit began without copying it: the
// session emits several events per command.
export type Listener<A extends unknown[]> = (...args: A) => void;

type AnyListener = (...args: unknown[]) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, readonly AnyListener[]>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const stored = listener as unknown as AnyListener;
    const current = this.listeners.get(event) ?? [];
    if (!current.includes(stored)) this.listeners.set(event, [...current, stored]);
    return () => {
      const now = this.listeners.get(event);
      if (!now?.includes(stored)) return;
      const rest = now.filter((l) => l !== stored);
      if (rest.length > 0) this.listeners.set(event, rest);
      else this.listeners.delete(event);
    };
  }

  /** Whether anyone listens: lets hot paths skip building event objects nobody reads. */
  protected listening(event: keyof Events): boolean {
    return this.listeners.has(event);
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const list = this.listeners.get(event);
    if (!list) return;
    for (const listener of list) listener(...args);
  }
}

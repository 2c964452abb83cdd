// Keeps what the session threw away (stale replies, tty echo, partial lines, the agent's
// answer to the 0xFF byte), so a person can look at it: counts plus the most recent items.
export interface DiscardedItem {
  at: number;
  text: string;
  bytes: number;
  reason: string;
}

export class DiscardLog {
  private readonly items: DiscardedItem[] = [];
  count = 0;
  bytes = 0;
  private readonly capacity: number;

  constructor(capacity = 200) {
    this.capacity = capacity;
  }

  add(item: DiscardedItem): void {
    this.count += 1;
    this.bytes += item.bytes;
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.shift();
  }

  recent(): readonly DiscardedItem[] {
    return this.items;
  }
}

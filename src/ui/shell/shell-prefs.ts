// What the shell takes from the user's settings, which load after the first frame: the
// recall store (memory until the saved history is there), the settings themselves, and the
// per-call timeout (--timeout when given, else the setting, which :set timeout changes).
import type { RecallStore } from './recall-store.js';
import type { SettingsPort } from './settings-port.js';

export class ShellPrefs {
  private recallStore: RecallStore;
  private loaded: SettingsPort | undefined;
  private timeout: number | undefined;
  /** The --timeout given on the command line, which the settings never override. */
  private readonly given: number | undefined;

  constructor(recall: RecallStore, timeoutMs: number | undefined) {
    this.recallStore = recall;
    this.given = timeoutMs;
    this.timeout = timeoutMs;
  }

  get recall(): RecallStore {
    return this.recallStore;
  }

  /** The user's settings, once loaded. */
  get settings(): SettingsPort | undefined {
    return this.loaded;
  }

  /** The deadline each call is sent with (undefined: none). */
  get timeoutMs(): number | undefined {
    return this.timeout;
  }

  /**
   * Switches to another recall store (the saved history, once the settings have loaded
   * after the first frame); lines entered before then move over to it.
   */
  useRecall(recall: RecallStore): void {
    const earlier = this.recallStore.lines();
    this.recallStore = recall;
    for (const line of earlier) recall.add(line);
  }

  /** The user's settings, once loaded; `timeoutMs` applies unless --timeout was given. */
  useSettings(settings: SettingsPort, timeoutMs: number | undefined): void {
    this.loaded = settings;
    if (this.given === undefined) this.timeout = timeoutMs;
  }

  /** `:set timeout VALUE` was accepted: it applies unless --timeout was given. */
  timeoutSet(value: string): void {
    if (this.given === undefined) this.timeout = value === 'none' ? undefined : Number(value);
  }
}

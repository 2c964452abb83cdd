// The shell learns whether it talks to a broker: a broker answers qemu-host-broker-info,
// a plain agent answers CommandNotFound (and is then asked nothing more). The status bar
// shows the sharing.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AgentError, TimeoutError } from '../../../src/protocol/errors.js';
import type { JsonObject, JsonValue } from '../../../src/protocol/json.js';
import type { CallResult } from '../../../src/session/session.js';
import { BrokerWatch, type SharedInfo } from '../../../src/ui/shell/broker-watch.js';
import { StatusBar } from '../../../src/ui/status-bar/status-bar.js';
import { INITIAL_STATUS, statusReducer } from '../../../src/ui/status-bar/use-status-state.js';

function fakeSession(answers: Array<JsonValue | Error>) {
  const asked: string[] = [];
  return {
    asked,
    call: async (execute: string): Promise<CallResult> => {
      asked.push(execute);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      const request = { execute, id: 1 };
      return { status: 'ok', value: next ?? {}, reply: { return: next ?? {} } as JsonObject, ms: 0.1, request };
    },
  };
}

const brokerInfo = (clients: number): JsonValue => ({ broker: 'qemu-host', version: '0.1.0', clients, agent: 'unix:/a', 'agent-version': '7.2.22', state: 'ready', 'read-only': false, queued: 0 });

describe('BrokerWatch', () => {
  it('reports the client count from a broker and refreshes it, at most once per gap', async () => {
    const session = fakeSession([brokerInfo(1), brokerInfo(3)]);
    const seen: Array<SharedInfo | undefined> = [];
    const watch = new BrokerWatch(session, (info) => seen.push(info), 60_000);
    await watch.refresh(true);
    expect(watch.shared).toBe(true);
    await watch.refresh();
    expect(session.asked).toEqual(['qemu-host-broker-info']);
    await watch.refresh(true);
    expect(seen).toEqual([{ clients: 1, readOnly: false }, { clients: 3, readOnly: false }]);
  });

  it('asks a plain agent once; CommandNotFound means not shared until the next connection', async () => {
    const notFound = new AgentError('CommandNotFound', 'The command qemu-host-broker-info has not been found');
    const session = fakeSession([notFound, brokerInfo(2)]);
    const seen: Array<SharedInfo | undefined> = [];
    const watch = new BrokerWatch(session, (info) => seen.push(info), 0);
    await watch.refresh(true);
    await watch.refresh(true);
    expect(session.asked).toHaveLength(1);
    expect(watch.shared).toBe(false);
    expect(seen).toEqual([undefined]);
    watch.reset();
    await watch.refresh(true);
    expect(watch.shared).toBe(true);
  });

  it('learns nothing from a timeout, and asks again next time', async () => {
    const session = fakeSession([new TimeoutError('no reply', 3000), brokerInfo(1)]);
    const watch = new BrokerWatch(session, () => undefined, 0);
    await watch.refresh(true);
    expect(watch.shared).toBe(false);
    await watch.refresh(true);
    expect(session.asked).toHaveLength(2);
    expect(watch.shared).toBe(true);
  });
});

describe('the status bar when shared', () => {
  it('says it is shared through a broker, and how many others are attached', () => {
    const base = { ...INITIAL_STATUS, state: 'ready' as const, version: '7.2.22' };
    const alone = statusReducer(base, { type: 'shared', shared: { clients: 1, readOnly: false } });
    expect(render(<StatusBar status={alone} endpoint="unix:/tmp/b.sock" readOnly={false} view="history" width={100} />).lastFrame()).toBe(
      ' ● ready │ shared (broker, no other clients) │ unix:/tmp/b.sock │ qemu-ga 7.2.22 │ stale 0 B',
    );
    const many = statusReducer(alone, { type: 'shared', shared: { clients: 3, readOnly: true } });
    expect(render(<StatusBar status={many} endpoint="unix:/tmp/b.sock" readOnly={false} view="history" width={75} />).lastFrame()).toBe(
      ' ● ready │ shared (broker, 2 other clients, read-only) │ unix:/tmp/b.sock',
    );
    expect(statusReducer(many, { type: 'shared', shared: { clients: 3, readOnly: true } })).toBe(many);
  });
});

describe('BrokerWatch.refreshSoon', () => {
  it('asks once the gap has passed, once however often it is called, and never on a plain agent', async () => {
    const session = fakeSession([brokerInfo(1), brokerInfo(4)]);
    const seen: Array<SharedInfo | undefined> = [];
    const watch = new BrokerWatch(session, (info) => seen.push(info), 30);
    watch.refreshSoon();
    expect(session.asked).toHaveLength(0);
    await watch.refresh(true);
    watch.refreshSoon();
    watch.refreshSoon();
    await new Promise((r) => setTimeout(r, 80));
    expect(session.asked).toHaveLength(2);
    expect(seen.at(-1)).toEqual({ clients: 4, readOnly: false });
    watch.stop();
  });
});

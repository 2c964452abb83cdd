// The shell on a broker's socket, in front of a real qemu-ga: the status bar says the
// agent is shared and how many other clients are attached, and follows them as they come;
// on the agent's own socket it says nothing of the kind.
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedSchema } from '../../src/schema/shipped.js';
import { SchemaLookup } from '../../src/schema/lookup.js';
import { Session } from '../../src/session/session.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import { App } from '../../src/ui/app.js';
import { memoryRecall } from '../../src/ui/shell/recall-store.js';
import { ShellStore } from '../../src/ui/shell/shell-store.js';
import { THEMES } from '../../src/ui/theme/theme.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { eventually, LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';

let agent: AgentFixture;
let broker: TestBroker;
let lookup: SchemaLookup;

beforeAll(async () => {
  agent = await startAgent();
  broker = await startTestBroker(agent);
  lookup = new SchemaLookup(loadShippedSchema());
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
});

function openShell(socket: string) {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socket }));
  const store = new ShellStore({ session, lookup, readOnly: false, timeoutMs: 5000, recall: memoryRecall(), size: { columns: 120, rows: 16 } });
  store.start();
  const ink = render(<App store={store} theme={THEMES.mono} trackSize={false} />);
  return {
    store,
    frame: () => ink.lastFrame() ?? '',
    async type(text: string) {
      ink.stdin.write(text);
      await new Promise((r) => setTimeout(r, 5));
    },
    close() {
      ink.unmount();
      store.stop();
      session.close();
    },
  };
}

describe('the shell through a broker', () => {
  it('shows the agent is shared, and counts the other clients as they attach', async () => {
    const shell = openShell(broker.path);
    try {
      await eventually(() => shell.frame().includes('shared (broker, no other clients)'), 'the shared marker', 10_000);
      const other = await LineClient.connect(broker.path);
      const third = await LineClient.connect(broker.path);
      // The count is asked again after the user's next command.
      await shell.type('guest-ping\r');
      await eventually(() => shell.frame().includes('shared (broker, 2 other clients)'), 'two other clients', 10_000);
      other.destroy();
      third.destroy();
      await eventually(() => broker.broker.info().clients === 1, 'the broker to see them leave', 10_000);
      await shell.type('guest-ping\r');
      await eventually(() => shell.frame().includes('shared (broker, no other clients)'), 'the others gone', 10_000);
    } finally {
      shell.close();
    }
  });

  it('says nothing of sharing on the agent\'s own socket', async () => {
    await broker.close();
    await agent.waitReady();
    const shell = openShell(agent.socket);
    try {
      await eventually(() => /Connected: qemu-ga/.test(shell.frame()), 'the connected notice', 10_000);
      await shell.type('guest-ping\r');
      await eventually(() => /guest-ping[^\n]*ok/.test(shell.frame()), 'the ping reply', 10_000);
      expect(shell.frame()).not.toContain('shared');
    } finally {
      shell.close();
    }
  });
});

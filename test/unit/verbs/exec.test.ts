// The pure parts of exec: poll back-off, guest-exec arguments, status decoding, exit codes.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/protocol/errors.js';
import { pollDelays } from '../../../src/verbs/exec/backoff.js';
import { EXEC_INPUT_LIMIT, describeSpec, execArguments, shellSpec } from '../../../src/verbs/exec/exec-request.js';
import { parseExecStatus } from '../../../src/verbs/exec/exec-status.js';
import { endMessage, exitCodeOf } from '../../../src/verbs/exec/exit-code.js';
import type { ExecResult } from '../../../src/verbs/exec/exec.js';

function result(over: Partial<ExecResult>): ExecResult {
  return {
    pid: 42, ended: 'exited', exited: true, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0),
    stdoutTruncated: false, stderrTruncated: false, status: undefined, polls: 1, ms: 1, ...over,
  };
}

describe('poll back-off', () => {
  it('starts at 1 ms and doubles up to a 100 ms cap', () => {
    const gen = pollDelays();
    const first = Array.from({ length: 10 }, () => gen.next().value);
    expect(first).toEqual([1, 2, 4, 8, 16, 32, 64, 100, 100, 100]);
  });
});

describe('guest-exec arguments', () => {
  it('wraps a shell line in sh -c and always captures output', () => {
    expect(execArguments(shellSpec('ls | wc -l'))).toEqual({ path: 'sh', arg: ['-c', 'ls | wc -l'], 'capture-output': true });
  });

  it('sends stdin as base64 and the environment as given', () => {
    const args = execArguments({ path: 'cat', env: ['A=1', 'PATH=/bin'], input: Buffer.from('hi\n') });
    expect(args).toEqual({ path: 'cat', env: ['A=1', 'PATH=/bin'], 'input-data': 'aGkK', 'capture-output': true });
  });

  it('refuses bad --env entries, an empty program and input over the limit', () => {
    expect(() => execArguments({ path: 'env', env: ['NOEQUALS'] })).toThrow(UsageError);
    expect(() => execArguments({ path: 'env', env: ['=x'] })).toThrow(/NAME=VALUE/);
    expect(() => execArguments({ path: '' })).toThrow(UsageError);
    expect(() => execArguments({ path: 'cat', input: Buffer.alloc(EXEC_INPUT_LIMIT + 1) })).toThrow(/limit is 16777216/);
    try {
      execArguments({ path: 'cat', input: Buffer.alloc(EXEC_INPUT_LIMIT + 1) });
    } catch (err) {
      expect((err as UsageError).hint).toMatch(/qemu-host put/);
    }
  });

  it('describes a command with shell quoting where needed', () => {
    expect(describeSpec({ path: 'ls', args: ['-l', '/tmp'] })).toBe('ls -l /tmp');
    expect(describeSpec(shellSpec("echo it's"))).toBe(`sh -c 'echo it'\\''s'`);
  });
});

describe('guest-exec-status', () => {
  it('decodes output and flags', () => {
    const s = parseExecStatus({ exited: true, exitcode: 3, 'out-data': 'aGVsbG8=', 'err-data': '', 'out-truncated': true });
    expect(s).toMatchObject({ exited: true, exitCode: 3, stdoutTruncated: true, stderrTruncated: false });
    expect(s.stdout.toString()).toBe('hello');
    expect(s.signal).toBeUndefined();
  });

  it('reads a signal and a still-running answer', () => {
    const killed = parseExecStatus({ exited: true, signal: 9 });
    expect(killed.signal).toBe(9);
    expect(killed.exitCode).toBeUndefined();
    expect(parseExecStatus({ exited: false })).toMatchObject({ exited: false, stdout: Buffer.alloc(0) });
  });

  it('rejects a reply that is not a status', () => {
    expect(() => parseExecStatus({ pid: 1 })).toThrow(/exited/);
  });
});

describe('exit codes', () => {
  it('follows the shell: own code, 128+signal, 124 on timeout, 130 on interrupt', () => {
    expect(exitCodeOf(result({ exitCode: 7 }))).toBe(7);
    expect(exitCodeOf(result({ ended: 'signalled', signal: 15 }))).toBe(143);
    expect(exitCodeOf(result({ ended: 'timed-out', signal: 9 }))).toBe(124);
    expect(exitCodeOf(result({ ended: 'interrupted', exited: false }))).toBe(130);
  });

  it('names the signal', () => {
    expect(endMessage(result({ ended: 'signalled', signal: 9 }))).toBe('guest process 42 was killed by signal 9 (SIGKILL)');
    expect(endMessage(result({ exitCode: 0 }))).toBeUndefined();
    expect(endMessage(result({ ended: 'timed-out', exited: false, note: 'still there' }))).toMatch(/could not be stopped: still there/);
  });
});

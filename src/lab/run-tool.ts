// Runs a host tool (apt-get, dpkg, ldd) and collects its output. A tool that is not
// installed becomes an error that names the Debian package to install.
import { spawn } from 'node:child_process';
import { QemuHostError } from '../protocol/errors.js';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Debian packages that provide the tools the lab runs. */
const PACKAGE_OF: Record<string, string> = {
  'apt-get': 'apt',
  'apt-cache': 'apt',
  dpkg: 'dpkg',
  'dpkg-deb': 'dpkg',
  ldd: 'libc-bin',
  'qemu-system-x86_64': 'qemu-system-x86',
};

export function missingToolError(tool: string): QemuHostError {
  const pkg = PACKAGE_OF[tool];
  return new QemuHostError(`${tool} is not installed`, {
    hint: pkg
      ? `Install it with: apt-get install -y --no-install-recommends ${pkg}`
      : `Install ${tool} and try again.`,
  });
}

export function runTool(
  tool: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? missingToolError(tool) : new QemuHostError(`cannot run ${tool}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Runs a tool and fails with its stderr when it exits non-zero. */
export async function runToolOrThrow(tool: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  const result = await runTool(tool, args, options);
  if (result.code !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit status ${result.code}`;
    throw new QemuHostError(`${tool} ${args.join(' ')} failed: ${detail}`);
  }
  return result.stdout;
}

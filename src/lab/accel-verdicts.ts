// Remembers, per host kernel, QEMU build and guest kernel, whether KVM booted the lab
// guest, so the slow "try KVM, fall back to TCG" probe runs once per machine.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Accel } from './qemu-args.js';
import { labCacheDir } from './paths.js';

function verdictFile(env: NodeJS.ProcessEnv): string {
  return path.join(labCacheDir(env), 'accel.json');
}

function readAll(env: NodeJS.ProcessEnv): Record<string, Accel> {
  try {
    return JSON.parse(readFileSync(verdictFile(env), 'utf8')) as Record<string, Accel>;
  } catch {
    return {};
  }
}

export function readAccelVerdict(key: string, env: NodeJS.ProcessEnv = process.env): Accel | undefined {
  const verdict = readAll(env)[key];
  return verdict === 'kvm' || verdict === 'tcg' ? verdict : undefined;
}

export function writeAccelVerdict(key: string, accel: Accel, env: NodeJS.ProcessEnv = process.env): void {
  const all = { ...readAll(env), [key]: accel };
  mkdirSync(labCacheDir(env), { recursive: true });
  writeFileSync(verdictFile(env), `${JSON.stringify(all, null, 2)}\n`);
}

// Unpacks a .deb into a folder with `dpkg -x`: no root, nothing installed on the host.
import { mkdirSync } from 'node:fs';
import { runToolOrThrow } from './run-tool.js';

export async function extractDeb(file: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  await runToolOrThrow('dpkg', ['-x', file, dest]);
}

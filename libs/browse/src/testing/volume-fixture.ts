import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VolumeConfig } from '@hfit/config';

const DAY = 86_400_000;

/** A temporary volume with symlinks of every kind next to a directory outside it. */
export interface VolumeFixture {
  /** The volume's directory. */
  readonly root: string;
  /** A sibling directory outside the volume holding `secret.txt`. */
  readonly outside: string;
  /** The instant the fixture's modification times count back from. */
  readonly now: number;
  /** A volume config on `root` with the given symlink policy. */
  volume(symlinks?: VolumeConfig['symlinks'], name?: string): VolumeConfig;
  /** Writes a file below the root (folders created), with its mtime `ageMs` before `now`. */
  write(rel: string, content: string | Buffer, ageMs?: number): void;
  remove(): void;
}

/**
 * Builds:
 * ```
 * <base>/outside/secret.txt          "TOP SECRET" (newest of all)
 * <base>/vol/a.txt                   5 B, 1 day old
 * <base>/vol/big.bin                 5000 B, 40 days old
 * <base>/vol/.hidden.txt             1 B, 1 day old
 * <base>/vol/sub/b.txt               100 B, 2 days old
 * <base>/vol/sub/deep/c.log          2048 B, 1 hour old
 * <base>/vol/%2e%2e/lit.txt          a folder literally named "%2e%2e", 3 days old
 * <base>/vol/link-in.txt  -> sub/b.txt            inside
 * <base>/vol/link-abs-in  -> <base>/vol/a.txt     inside, absolute
 * <base>/vol/link-dir     -> sub                  folder inside
 * <base>/vol/self         -> .                    folder loop
 * <base>/vol/link-out.txt -> ../outside/secret.txt
 * <base>/vol/link-out-dir -> <base>/outside
 * <base>/vol/loop-a -> loop-b, loop-b -> loop-a
 * <base>/vol/dangling     -> nowhere
 * <base>/vol/fifo                    a named pipe
 * ```
 */
export function createVolumeFixture(): VolumeFixture {
  const base = mkdtempSync(path.join(tmpdir(), 'hfit-browse-vol-'));
  const root = path.join(base, 'vol');
  const outside = path.join(base, 'outside');
  const now = Date.now();
  mkdirSync(root);
  mkdirSync(outside);
  const write = (rel: string, content: string | Buffer, ageMs = 0) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    const t = new Date(now - ageMs);
    utimesSync(file, t, t);
  };
  writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
  write('a.txt', 'hello', DAY);
  write('big.bin', Buffer.alloc(5000, 1), 40 * DAY);
  write('.hidden.txt', 'h', DAY);
  write('sub/b.txt', 'b'.repeat(100), 2 * DAY);
  write('sub/deep/c.log', 'c'.repeat(2048), 3_600_000);
  write('%2e%2e/lit.txt', 'literal', 3 * DAY);
  const link = (target: string, name: string) => symlinkSync(target, path.join(root, name));
  link('sub/b.txt', 'link-in.txt');
  link(path.join(root, 'a.txt'), 'link-abs-in');
  link('sub', 'link-dir');
  link('.', 'self');
  link('../outside/secret.txt', 'link-out.txt');
  link(outside, 'link-out-dir');
  link('loop-b', 'loop-a');
  link('loop-a', 'loop-b');
  link('nowhere', 'dangling');
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  return {
    root,
    outside,
    now,
    volume: (symlinks = 'confine', name = 'data') => ({ name, root, symlinks }),
    write,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

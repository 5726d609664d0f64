import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCliPlatform, type CliPlatform, type CliPlatformOptions } from './cli-platform.js';
import { tempHome, type TempHome } from './temp-home.js';

/** What {@link usePlatformCli} sets up; read it inside tests and hooks only. */
export interface PlatformCli {
  /** The platform, started once for the suite. */
  readonly platform: CliPlatform;
  /** A fresh temporary HOME (per test, or per suite with `perTest: false`). */
  readonly home: TempHome;
  /** `home.env` with `platform.env` over it: a command run as alice against the platform. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The temporary directory named by `tempDir` (made and removed with `home`). */
  readonly dir: string;
}

/** Options of {@link usePlatformCli}. */
export interface PlatformCliOptions extends CliPlatformOptions {
  /** Prefix of a temporary directory made with each `home`, e.g. `hfit-cli-pkg-`; none without it. */
  readonly tempDir?: string;
  /** Make `home` (and `dir`) per test (default true), or once for the whole suite. */
  readonly perTest?: boolean;
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`usePlatformCli: ${what} is only set inside tests and hooks`);
  return value;
}

/**
 * Registers the mocha hooks of a command suite in the calling `describe`: {@link startCliPlatform}
 * once (`before`/`after`), a {@link tempHome} and optionally a temporary directory per test
 * (`beforeEach`/`afterEach`). Hooks the suite registers afterwards run after these.
 */
export function usePlatformCli(options: PlatformCliOptions = {}): PlatformCli {
  const { tempDir, perTest = true, ...platformOptions } = options;
  let platform: CliPlatform | undefined;
  let home: TempHome | undefined;
  let dir: string | undefined;

  const setUp = async (): Promise<void> => {
    home = await tempHome();
    if (tempDir !== undefined) dir = await mkdtemp(path.join(tmpdir(), tempDir));
  };
  const tearDown = async (): Promise<void> => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
    await home?.dispose();
    home = undefined;
  };

  before(async () => {
    platform = await startCliPlatform(platformOptions);
  });
  if (perTest) {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    before(setUp);
    after(tearDown);
  }
  after(async () => {
    await platform?.close();
    platform = undefined;
  });

  return {
    get platform() {
      return present(platform, 'platform');
    },
    get home() {
      return present(home, 'home');
    },
    get env() {
      return { ...present(home, 'home').env, ...present(platform, 'platform').env };
    },
    get dir() {
      return present(dir, 'dir (set tempDir)');
    },
  };
}

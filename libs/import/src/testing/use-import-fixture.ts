import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@hfit/db/testing';
import { seedMysqlSource, seedPostgresSource } from './source-fixtures.js';

/** What {@link useImportFixture} sets up; read it inside tests and hooks only. */
export interface ImportFixture {
  /** A temporary directory for the suite's packages, removed after it. */
  readonly work: string;
  /** The seeded MySQL/MariaDB source (with `seedSources`). */
  readonly mySource: ScratchDatabase;
  /** The seeded PostgreSQL source (with `seedSources`). */
  readonly pgSource: ScratchDatabase;
  /** A fresh scratch target database (MySQL/MariaDB by default), dropped after the suite. */
  target(type?: 'mysql' | 'postgres'): Promise<ScratchDatabase>;
  /** Runs `fn` after the suite, with the targets' drops and before the sources are dropped. */
  cleanup(fn: () => Promise<void>): void;
}

/** Options of {@link useImportFixture}. */
export interface ImportFixtureOptions {
  /** Prefix of the temporary `work` directory, e.g. `hfit-import-`. */
  readonly workPrefix: string;
  /** Create `mySource` and `pgSource` and seed them with `seedMysqlSource`/`seedPostgresSource`. */
  readonly seedSources?: boolean;
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`useImportFixture: ${what} is only set inside tests and hooks`);
  return value;
}

/**
 * Registers the `before`/`after` hooks of an importPackage suite in the calling `describe`: a
 * `work` directory, the seeded sources when asked for, and cleanup of every {@link ImportFixture.target}.
 * Hooks the suite registers afterwards run after these.
 */
export function useImportFixture(options: ImportFixtureOptions): ImportFixture {
  let work: string | undefined;
  let mySource: ScratchDatabase | undefined;
  let pgSource: ScratchDatabase | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), options.workPrefix));
    if (options.seedSources) {
      [mySource, pgSource] = await Promise.all([createScratchDatabase('mysql', 'hfit_src'), createScratchDatabase('postgres', 'hfit_src')]);
      await Promise.all([seedMysqlSource(mySource), seedPostgresSource(pgSource)]);
    }
  });

  after(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
    await Promise.all([mySource?.drop(), pgSource?.drop()]);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  return {
    get work() {
      return present(work, 'work');
    },
    get mySource() {
      return present(mySource, 'mySource (set seedSources)');
    },
    get pgSource() {
      return present(pgSource, 'pgSource (set seedSources)');
    },
    async target(type: 'mysql' | 'postgres' = 'mysql') {
      const db = await createScratchDatabase(type, 'hfit_imp');
      cleanups.push(() => db.drop());
      return db;
    },
    cleanup(fn: () => Promise<void>) {
      cleanups.push(fn);
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scannedTestDir } from '@hfit/contracts/testing';

/** A folder for a test's audit files. */
export interface TestAuditDir {
  readonly dir: string;
  /** Removes the folder, unless it is under the test run's tee folder (the log scan reads it after the suite). */
  dispose(): Promise<void>;
}

/**
 * A fresh, not yet created folder for audit files: under `$HFIT_LOG_TEE_DIR/audit/` during
 * `npm test`, so the log scan checks what the audit log wrote; else under the system temp folder.
 */
export async function createTestAuditDir(): Promise<TestAuditDir> {
  const scanned = scannedTestDir('audit');
  if (scanned !== undefined) return { dir: scanned, dispose: async () => undefined };
  const parent = await mkdtemp(path.join(tmpdir(), 'hfit-audit-'));
  return { dir: path.join(parent, 'audit'), dispose: () => rm(parent, { recursive: true, force: true }) };
}

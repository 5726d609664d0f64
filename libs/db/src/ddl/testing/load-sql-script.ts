import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceType } from '../../connection/source-connection.js';
import { TEST_SERVERS } from '../../testing/scratch-database.js';

/** What the stock client printed while loading a script. */
export interface LoadResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Test helper: loads a SQL script into a local test server with the stock command-line client, the
 * way a user loads a package: `mariadb -h… -u… [database] < file` or
 * `psql -h… -U… -d database -v ON_ERROR_STOP=1 -f file`. Rejects with the client's stderr when it
 * exits non-zero.
 * @param database MySQL: the database to `USE` (omit for scripts with their own `USE`);
 * PostgreSQL: the database to connect to.
 */
export async function loadSqlScript(type: SourceType, script: string, database?: string): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'hfit-ddl-'));
  const file = join(dir, 'script.sql');
  try {
    await writeFile(file, script);
    if (type === 'mysql') {
      const s = TEST_SERVERS.mysql;
      const args = [`-h${s.host}`, `-P${s.port}`, `-u${s.user}`, ...(s.password ? [`-p${s.password}`] : []), ...(database ? [database] : [])];
      const input = await open(file, 'r');
      try {
        return await run('mariadb', args, input.fd);
      } finally {
        await input.close();
      }
    }
    const s = TEST_SERVERS.postgres;
    return await run('psql', ['-X', '-q', '-h', s.host, '-p', String(s.port), '-U', s.user, '-d', database ?? 'postgres', '-v', 'ON_ERROR_STOP=1', '-f', file], 'ignore');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], stdin: number | 'ignore'): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

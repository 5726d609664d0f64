/**
 * Runs `fn` between `apply` and `restore` (session settings changed for one read and put back,
 * because a build's readers share one connection). `restore` runs after a failure too, but then
 * its own failure is swallowed: the first error is the one worth reporting (after a failed
 * statement, PostgreSQL refuses everything until the transaction ends).
 */
export async function withRestoredSetting<T>(apply: () => Promise<void>, restore: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  await apply();
  let failed = false;
  try {
    return await fn();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await restore().catch((err: unknown) => {
      if (!failed) throw err;
    });
  }
}

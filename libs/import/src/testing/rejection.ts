/** Resolves with the error `p` rejects with; throws when `p` resolves (the import was expected to fail). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the import to fail, but it succeeded');
}

import { access } from 'node:fs/promises';

/** Whether something exists at `file` (any type, readable or not). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

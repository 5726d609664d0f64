import { usageError } from '../errors/cli-error.js';

/** `volume:path` -> its parts (the first `:` separates them; the path may hold more). */
export function parseVolumePath(spec: string): { volume: string; path: string } {
  const i = spec.indexOf(':');
  if (i <= 0 || i === spec.length - 1) throw usageError(`"${spec}" is not <volume>:<path>`, 'e.g. hfit download invoices:2024/invoice_42.pdf');
  return { volume: spec.slice(0, i), path: spec.slice(i + 1) };
}

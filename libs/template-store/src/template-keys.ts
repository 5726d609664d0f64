import { HfitError } from '@hfit/contracts';
import { objectKeyProblem } from '@hfit/storage';

/**
 * User names, as the server configuration allows them (libs/config `users[].user`). `.` and `..`
 * match it too but are refused by {@link userNameProblem}: as a key segment they would leave the
 * user's folder.
 */
export const USER_NAME_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Template names: what `templateName` may be (the same rule as `NameSchema` and the parser's). */
export const TEMPLATE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Suffix of every template object: the name is `<templateName>.yaml` whatever the name ends with. */
export const TEMPLATE_KEY_SUFFIX = '.yaml';

/** Default {@link TemplateKeys} prefix: templates live under `templates/<user>/`. */
export const DEFAULT_TEMPLATE_PREFIX = 'templates';

/** Why `user` cannot own templates, or `undefined` when it can. */
export function userNameProblem(user: string): string | undefined {
  if (!USER_NAME_PATTERN.test(user)) return 'must be 1-64 letters, digits, "_", ".", "@" or "-"';
  // Dot-only names pass the pattern but are path segments with a meaning ("." and "..").
  if (/^\.+$/.test(user)) return 'must not consist of dots only';
  return undefined;
}

/** Why `name` cannot name a template, or `undefined` when it can. */
export function templateNameProblem(name: string): string | undefined {
  return TEMPLATE_NAME_PATTERN.test(name)
    ? undefined
    : 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';
}

/**
 * Maps (user, template name) to object keys: `<prefix>/<user>/<name>.yaml`. User and name are
 * checked against their patterns first, and the resulting key against the store's own rules, so no
 * input can make a key that leaves the user's folder.
 */
export class TemplateKeys {
  /** The prefix without a trailing `/`; empty for the store root. */
  readonly prefix: string;

  /**
   * @param prefix - folder of all users' templates, e.g. `templates` or `hfit/templates`; `''` for
   *   the store root. A trailing `/` is ignored.
   * @throws HfitError STORAGE_OPTIONS_INVALID when the prefix is not a valid object key.
   */
  constructor(prefix: string = DEFAULT_TEMPLATE_PREFIX) {
    const trimmed = prefix.replace(/\/+$/, '');
    const problem = trimmed === '' ? undefined : objectKeyProblem(trimmed);
    if (problem !== undefined) {
      throw new HfitError(
        'STORAGE_OPTIONS_INVALID',
        `template store prefix ${JSON.stringify(prefix)} ${problem}: use a relative folder such as "templates"`,
        { field: 'prefix' },
      );
    }
    this.prefix = trimmed;
  }

  /**
   * Checks a user name.
   * @throws HfitError REQUEST_INVALID naming the rule.
   */
  assertUser(user: string): void {
    const problem = userNameProblem(user);
    if (problem !== undefined) {
      throw new HfitError('REQUEST_INVALID', `user name ${JSON.stringify(user)} ${problem}`, { field: 'user' });
    }
  }

  /**
   * Checks a template name given by a caller (e.g. from a URL).
   * @throws HfitError REQUEST_INVALID naming the rule.
   */
  assertName(name: string): void {
    const problem = templateNameProblem(name);
    if (problem !== undefined) {
      throw new HfitError('REQUEST_INVALID', `template name ${JSON.stringify(name)} ${problem}`, { field: 'name' });
    }
  }

  /** `<prefix>/<user>/`: what `ObjectStore.list` is asked for to list one user's templates. */
  userPrefix(user: string): string {
    this.assertUser(user);
    return this.prefix === '' ? `${user}/` : `${this.prefix}/${user}/`;
  }

  /**
   * Key of one template.
   * @throws HfitError REQUEST_INVALID for a bad user or template name.
   */
  key(user: string, name: string): string {
    this.assertName(name);
    const key = `${this.userPrefix(user)}${name}${TEMPLATE_KEY_SUFFIX}`;
    const problem = objectKeyProblem(key);
    // Unreachable with the patterns above (they allow no "/", "\" or control character); kept so a
    // future change of either pattern cannot open a way out of the user's folder.
    if (problem !== undefined) throw new HfitError('REQUEST_INVALID', `template key ${JSON.stringify(key)} ${problem}`);
    return key;
  }

  /**
   * The template name a listed key stands for, or `undefined` for keys that are not a template of
   * this user (deeper folders, other suffixes, names the pattern refuses).
   */
  nameOfKey(user: string, key: string): string | undefined {
    const folder = this.userPrefix(user);
    if (!key.startsWith(folder) || !key.endsWith(TEMPLATE_KEY_SUFFIX)) return undefined;
    const name = key.slice(folder.length, key.length - TEMPLATE_KEY_SUFFIX.length);
    return templateNameProblem(name) === undefined ? name : undefined;
  }
}

import type { AuditVerification } from '@hfit/contracts';
import { Flags } from '@oclif/core';
import { parseTimeSpec } from '../../../admin/parse-time.js';
import { BaseCommand } from '../../../base-command.js';
import { CliError } from '../../../errors/cli-error.js';
import { ExitCode } from '../../../exit-codes.js';
import { auditVerificationLines, auditVerificationSummary } from '../../../render/audit-verification-lines.js';

/** `hfit admin audit verify`. */
export default class AdminAuditVerify extends BaseCommand {
  static override summary = 'Verify the audit trail: the hash chains of the audit files and their anchors in Redis';
  static override description = `The server reads its audit files (audit.dir) line by line and checks each writer's hash chain (an edited, removed or reordered line breaks it) and, against the chain heads Redis recorded as each line was written, that no chain lost its last lines and no file was deleted (anchors live in Redis: after a Redis loss, lines written before it are checked by their chains only). --since takes a UTC day (2024-05-01) or a duration back from now (7d): only files of that day and later are checked. Prints one line per file; exit code 4 when anything is wrong. --json prints {ok, files, missing}.`;
  static override examples = ['<%= config.bin %> admin audit verify', '<%= config.bin %> admin audit verify --since 7d --json'];
  static override flags = {
    since: Flags.string({ description: 'only files of this UTC day and later: ISO date, or a duration ago (7d)' }),
  };

  async run(): Promise<AuditVerification> {
    const { flags } = await this.parse(AdminAuditVerify);
    // The server checks whole days: send the UTC day the time falls on.
    const since = flags.since === undefined ? undefined : parseTimeSpec(flags.since, { flag: '--since', direction: 'past', now: new Date() }).slice(0, 10);
    const result = await (await this.client()).admin.verifyAudit(since === undefined ? {} : { since });
    this.output.lines(auditVerificationLines(result));
    if (!result.ok) {
      throw new CliError(`the audit trail failed verification: ${auditVerificationSummary(result)}`, { code: 'AUDIT_VERIFICATION_FAILED', exitCode: ExitCode.verificationFailed, data: { ...result } });
    }
    return result;
  }
}

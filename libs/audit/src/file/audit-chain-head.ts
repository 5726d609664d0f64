/** The last line a writer appended to its chain in one audit file: what an anchor records. */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Another instance claimed a batch this instance was about to claim: this instance is stale (another one is
 * active) and must not commit anything it has not re-synchronised to the write-ahead log.
 */
export class FencedError extends Error {
  override name = "FencedError";
  constructor(
    readonly job: string,
    readonly batch: number,
    /** The instance that holds the batch. */
    readonly holder: string,
    readonly instance: string,
  ) {
    super(
      `Cannot claim batch ${batch} of job "${job}": instance ${holder} already claimed it, so instance ${instance} is stale`,
    );
  }
}

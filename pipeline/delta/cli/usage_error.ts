/** A command line the user got wrong: the CLI prints the one-line message and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

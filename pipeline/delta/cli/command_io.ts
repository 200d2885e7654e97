/**
 * What a `lake` command touches outside itself, injectable so commands run in-process in tests.
 *
 * @module
 */

/** Output and input of a command. */
export interface CommandIO {
  /** Writes one line to standard output. */
  print(line: string): void;
  /** Reads a whole input file, or standard input for "-". */
  readInput(path: string): Promise<string>;
}

/** Standard output and files/stdin of the process. */
export const processIO: CommandIO = {
  print: (line) => console.log(line),
  readInput: async (path) =>
    path === "-" ? await new Response(Deno.stdin.readable).text() : await Deno.readTextFile(path),
};

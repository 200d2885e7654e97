/**
 * Launching Debian's Chromium for browser tests and benchmarks through playwright-core (which downloads no
 * browser of its own). When /usr/bin/chromium is missing it is installed with apt-get; if that is impossible
 * the launch fails with the reason (browser tests never skip).
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags for a quiet, sandbox-free headless Chromium on a CI machine without network. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function run(cmd: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "piped",
    env: { DEBIAN_FRONTEND: "noninteractive" },
  }).output();
  if (code !== 0) {
    throw new Error(
      `Cannot install Chromium: ${cmd} ${args.join(" ")} exited with ${code}\n${
        new TextDecoder().decode(stderr).slice(-2000)
      }`,
    );
  }
}

/** Makes sure /usr/bin/chromium exists, installing Debian's package when it does not. */
export async function ensureChromium(): Promise<string> {
  if (await exists(CHROMIUM_PATH)) return CHROMIUM_PATH;
  await run("apt-get", ["update", "-qq"]);
  await run("apt-get", ["install", "-y", "-qq", "chromium"]);
  if (!(await exists(CHROMIUM_PATH))) {
    throw new Error(`Cannot install Chromium: ${CHROMIUM_PATH} is still missing`);
  }
  return CHROMIUM_PATH;
}

/**
 * Launches headless Chromium. Playwright starts it with a fresh temporary `--user-data-dir` of its own (it
 * refuses the flag in `args`) and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: await ensureChromium(),
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

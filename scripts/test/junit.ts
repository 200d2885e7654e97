/**
 * Counting test outcomes from Deno's JUnit report. Steps are reported as test cases named
 * `parent > step`; only leaves count, so a test with steps counts once per step.
 *
 * @module
 */

/** One leaf test case and its outcome. */
export interface CaseResult {
  file: string;
  name: string;
  outcome: "passed" | "failed" | "skipped";
  message?: string;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#(\d+));/g, (_, name: string, code?: string) => {
    if (code) return String.fromCodePoint(Number(code));
    return ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" } as Record<string, string>)[name];
  });
}

const CASE = /<testcase name="([^"]*)" classname="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g;

/** Leaf test cases of a Deno JUnit report. */
export function parseJunit(xml: string): CaseResult[] {
  const all: CaseResult[] = [];
  for (const m of xml.matchAll(CASE)) {
    const body = m[3] ?? "";
    const failure = /<failure message="([^"]*)"/.exec(body);
    all.push({
      file: unescapeXml(m[2]),
      name: unescapeXml(m[1]),
      outcome: failure ? "failed" : /<skipped\s*\/>/.test(body) ? "skipped" : "passed",
      message: failure ? unescapeXml(failure[1]) : undefined,
    });
  }
  const parents = new Set<string>();
  for (const c of all) {
    const parts = c.name.split(" > ");
    for (let i = 1; i < parts.length; i++) parents.add(`${c.file}\0${parts.slice(0, i).join(" > ")}`);
  }
  return all.filter((c) => !parents.has(`${c.file}\0${c.name}`));
}

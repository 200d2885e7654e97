import assert from "node:assert/strict";
import { wallClockToUtc, zoneOffsetMs } from "./time_zone.ts";

const wall = (iso: string) => Date.parse(iso + "Z");

Deno.test("zoneOffsetMs() gives the offset of a zone at an instant", () => {
  assert.equal(zoneOffsetMs("America/Los_Angeles", Date.parse("2021-09-08T18:11:11Z")), -7 * 3_600_000);
  assert.equal(zoneOffsetMs("America/Los_Angeles", Date.parse("2021-01-08T18:11:11Z")), -8 * 3_600_000);
  assert.equal(zoneOffsetMs("Asia/Kolkata", Date.parse("2000-01-01T00:00:00.250Z")), 5.5 * 3_600_000);
  assert.throws(() => zoneOffsetMs("Not/AZone", 0), RangeError);
});

Deno.test("wallClockToUtc() converts a wall-clock time in a zone to UTC", () => {
  assert.equal(wallClockToUtc("UTC", wall("2021-09-08T11:11:11")), wall("2021-09-08T11:11:11"));
  assert.equal(
    new Date(wallClockToUtc("America/Los_Angeles", wall("2021-09-08T11:11:11"))).toISOString(),
    "2021-09-08T18:11:11.000Z",
  );
  assert.equal(
    new Date(wallClockToUtc("Europe/Berlin", wall("1969-01-01T00:00:00.123"))).toISOString(),
    "1968-12-31T23:00:00.123Z",
  );
});

Deno.test("wallClockToUtc() takes the earlier instant in an overlap and moves times in a gap later", () => {
  // 2021-11-07 01:30 happens twice in Los Angeles (PDT then PST).
  assert.equal(
    new Date(wallClockToUtc("America/Los_Angeles", wall("2021-11-07T01:30:00"))).toISOString(),
    "2021-11-07T08:30:00.000Z",
  );
  // 2021-03-14 02:30 does not exist there; java.time reads it as 03:30 PDT.
  assert.equal(
    new Date(wallClockToUtc("America/Los_Angeles", wall("2021-03-14T02:30:00"))).toISOString(),
    "2021-03-14T10:30:00.000Z",
  );
});

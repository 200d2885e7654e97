/**
 * The in-memory value model shared by every stage (source → decode → operators → sinks → lake → web):
 * exact decimals, nanosecond timestamps, dates, times of day, and the lake's JSON encoding.
 *
 * @module
 */
export { Decimal, type Rounding } from "./decimal.ts";
export { Timestamp, type TimestampParseOptions } from "./timestamp.ts";
export { LocalDate } from "./local_date.ts";
export { LocalTime } from "./local_time.ts";
export { decodeBase64, encodeBase64 } from "./base64.ts";
export { civilFromDays, daysFromCivil, formatDays, parseDays } from "./calendar.ts";
export { type JsonValue, type Row, rowToJson, toJsonValue, type Value, valuesEqual } from "./value.ts";

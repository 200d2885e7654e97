/**
 * The clock sources and decoders read "now" from (quarantine timestamps, backoff), injected for determinism.
 *
 * @module
 */
import { Timestamp } from "../value/mod.ts";

/** Returns the current time as a zoned timestamp. */
export type Clock = () => Timestamp;

/** The system clock, millisecond precision. */
export const systemClock: Clock = () => Timestamp.fromMillis(Date.now());

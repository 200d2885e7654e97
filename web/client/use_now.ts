import { useEffect, useState } from "preact/hooks";
import { store } from "./store.ts";

/**
 * The server's current time (browser clock corrected by heartbeats), ticking every `intervalMs`; null during
 * server rendering and hydration, so relative texts ("2.1 s ago") never mismatch the server HTML.
 */
export function useNow(intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now() + store.clockOffset.peek());
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

import { Timestamp } from "../../value/mod.ts";
import { sqlitePosition } from "../source_position.ts";
import { changeSourceContract } from "./change_source_contract.ts";
import { MemoryLog, MemorySource } from "./memory_source.ts";

changeSourceContract("MemorySource", () => {
  const log = new MemoryLog();
  let id = 0;
  return Promise.resolve({
    write(n: number) {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(++id);
        log.append({
          kind: "change",
          event: {
            table: "customers",
            op: "c",
            key: { customer_id: id },
            before: null,
            after: { customer_id: id, name: `C${id}` },
            position: sqlitePosition(id),
            commitTs: Timestamp.fromMillis(id),
            txId: null,
            snapshot: false,
          },
        });
      }
      return Promise.resolve(ids);
    },
    open: (from) => new MemorySource(log, { from }),
    dispose: () => Promise.resolve(),
  });
});

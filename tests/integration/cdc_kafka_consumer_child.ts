/**
 * A consumer process for the kill/restart test: reads customer changes with KafkaSource and, as a sink would,
 * commits the ids it saw together with the checkpoint in one atomic file write (temp file + rename), then
 * acknowledges to Kafka. Started again after a SIGKILL, it resumes from the checkpoint in that file.
 *
 * Usage: deno run -A cdc_kafka_consumer_child.ts <brokers> <topic prefix> <group> <sink file> [pause ms per batch]
 *
 * @module
 */
import { mergeCheckpoints, type SourceCheckpoint } from "../../pipeline/cdc/source/change_source.ts";
import { KafkaSource } from "../../pipeline/cdc/source/kafka_source.ts";

const [brokerList, prefix, groupId, sinkPath, pause = "0"] = Deno.args;
let state: { checkpoint: SourceCheckpoint; ids: number[] } = { checkpoint: {}, ids: [] };
try {
  state = JSON.parse(await Deno.readTextFile(sinkPath));
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}
const source = new KafkaSource({
  brokers: brokerList.split(","),
  groupId,
  topicPrefix: prefix,
  from: state.checkpoint,
  onAssign: () => state.checkpoint, // the sink's checkpoint is the truth for every partition
  sessionTimeoutMs: 6000, // the broker's minimum: the killed member's partitions move quickly
});
Deno.addSignalListener("SIGTERM", async () => {
  await source.close();
  Deno.exit(0);
});
for (;;) {
  const batch = await source.next({ maxRecords: 50, maxWaitMs: 500 });
  if (batch.records.length === 0) continue;
  for (const r of batch.records) if (r.kind === "change") state.ids.push(Number(r.event.key.customer_id));
  state.checkpoint = mergeCheckpoints(state.checkpoint, batch.checkpoint);
  const tmp = `${sinkPath}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(state));
  await Deno.rename(tmp, sinkPath);
  await source.commit(batch.checkpoint);
  // A slow sink, so that the test's SIGKILL lands mid-stream on any machine.
  if (Number(pause) > 0) await new Promise((r) => setTimeout(r, Number(pause)));
}

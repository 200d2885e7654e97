/**
 * A kafkajs partition assigner that hands out whole shards: every instance of a sharded job runs one consumer
 * per shard in the job's group, all subscribed to every topic of the prefix; the group leader gives all
 * partitions of a shard's topics to the consumer of that shard on the instance {@linkcode assignShards} picks,
 * and nothing to the others. Every member carries `{instance, shard, holds}` in its subscription's user data
 * (sent again at every rebalance), `holds` saying that the instance runs the shard now: among equally good
 * choices the shard stays where it runs.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { AssignerProtocol, type PartitionAssigner } from "kafkajs";
import { assignShards } from "./shard_plan.ts";

/** A consumer of the group: which instance runs it, for which shard. */
export interface ShardMember {
  memberId: string;
  instance: string;
  shard: string;
  /** Whether its instance runs the shard now (when it joined this rebalance). @default false */
  holds?: boolean;
}

/** How topics and shards relate, the same on every instance. */
export interface ShardTopics {
  /** Balancing weight of each shard (a shard missing here weighs 1). */
  weights: ReadonlyMap<string, number>;
  /** The shard that reads a topic. */
  shardOf(topic: string): string;
}

/**
 * Partitions per member: each shard to one instance among those with a member for it; that member gets every
 * partition of the shard's topics. With two members of one instance and shard (a consumer that has not left
 * yet), the first by member id gets them.
 */
export function assignShardTopics(
  members: readonly ShardMember[],
  topics: readonly { topic: string; partitions: readonly number[] }[],
  plan: ShardTopics,
): Map<string, Record<string, number[]>> {
  const byMember = new Map<string, ShardMember>();
  for (const m of [...members].sort((a, b) => a.memberId < b.memberId ? -1 : 1)) {
    const key = JSON.stringify([m.instance, m.shard]);
    if (!byMember.has(key)) byMember.set(key, m);
  }
  const shards = [...new Set(members.map((m) => m.shard))].map((name) => ({
    name,
    weight: plan.weights.get(name) ?? 1,
  }));
  const holding = new Set(members.filter((m) => m.holds).map((m) => JSON.stringify([m.instance, m.shard])));
  const owners = assignShards(
    shards,
    members.map((m) => m.instance),
    (instance, shard) => byMember.has(JSON.stringify([instance, shard])),
    (instance, shard) => holding.has(JSON.stringify([instance, shard])),
  );
  const out = new Map<string, Record<string, number[]>>(members.map((m) => [m.memberId, {}]));
  for (const { topic, partitions } of topics) {
    const shard = plan.shardOf(topic);
    const instance = owners.get(shard);
    if (instance === undefined) continue;
    const member = byMember.get(JSON.stringify([instance, shard]))!;
    out.get(member.memberId)![topic] = [...partitions].sort((a, b) => a - b);
  }
  return out;
}

/**
 * The assigner of the consumer that runs `shard` on `instance`; `holds` tells, at each rebalance, whether this
 * instance runs the shard now.
 */
export function shardAssigner(
  instance: string,
  shard: string,
  plan: ShardTopics,
  holds: () => boolean = () => false,
): PartitionAssigner {
  return ({ cluster }) => ({
    name: "LakestreamShardAssigner",
    version: 1,
    assign({ members, topics }) {
      const known: ShardMember[] = [];
      for (const { memberId, memberMetadata } of members) {
        const data = AssignerProtocol.MemberMetadata.decode(memberMetadata)?.userData;
        try {
          const v = JSON.parse(data?.toString() ?? "null");
          if (typeof v?.instance === "string" && typeof v?.shard === "string") {
            known.push({ memberId, instance: v.instance, shard: v.shard, holds: v.holds === true });
          }
        } catch {
          // A member of another program in the group gets nothing; it is not ours to feed.
        }
      }
      const partitions = topics.map((topic) => ({
        topic,
        partitions: cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId),
      }));
      const assignment = assignShardTopics(known, partitions, plan);
      return Promise.resolve(
        members.map(({ memberId }) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: assignment.get(memberId) ?? {},
            userData: Buffer.alloc(0),
          }),
        })),
      );
    },
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify({ instance, shard, holds: holds() }));
      return {
        name: "LakestreamShardAssigner",
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }),
      };
    },
  });
}

import { PageHead } from "../components/PageHead.tsx";
import { PipelineHealthIsland } from "../islands/mod.ts";

/** Pipeline health: freshness, throughput, lag, quarantine and table statistics. */
export function PipelinePage() {
  return (
    <>
      <PageHead
        title="Pipeline health"
        subtitle="Source database → change capture → stream processor → Delta lake"
      />
      <PipelineHealthIsland />
    </>
  );
}

#!/usr/bin/env bash
# Kafka Connect in distributed mode for compose.yaml, configured from the environment. JSON with the schema
# envelope (the original system's converter settings), so decimals keep their scale.
set -euo pipefail
cat > /tmp/connect-distributed.properties <<PROPS
bootstrap.servers=${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS is required}
group.id=${GROUP_ID:-lakestream-connect}
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
config.storage.topic=connect_configs
offset.storage.topic=connect_offsets
status.storage.topic=connect_statuses
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.flush.interval.ms=1000
scheduled.rebalance.max.delay.ms=0
listeners=http://0.0.0.0:8083
rest.advertised.host.name=${REST_ADVERTISED_HOST:-connect}
plugin.path=/opt/kafka/plugins
PROPS
exec /opt/kafka/bin/connect-distributed.sh /tmp/connect-distributed.properties

#!/usr/bin/env bash
# LocalStack ready hook: the streams and the lake bucket the compose services write to.
set -euo pipefail
awslocal s3 mb s3://shopware-lake
for source in pos inventory web crm; do
  awslocal kinesis create-stream --stream-name "shopware-${source}" --shard-count 1
done
for source in pos inventory web crm; do
  awslocal kinesis wait stream-exists --stream-name "shopware-${source}"
done

#!/usr/bin/env bash
# The AWS CLI half of the client conformance suite (test/clients/clients.test.ts starts local and runs this once).
# Every call goes through Debian's /usr/bin/aws with --endpoint-url (this CLI version does not read AWS_ENDPOINT_URL)
# and --output json. Each case writes three files into $OUT: <case>.json (the CLI's stdout: its JSON answer),
# <case>.err (stderr: the CLI's error text) and <case>.rc (its exit status); the test parses them. The script never
# stops at a failed call, so one missing operation shows up as one failed case and the rest still run.
#
# Environment: ENDPOINT, OUT, FAST / FAIL / SLOW (function names: a quick handler, one that throws, and one that holds
# its invocation until the file named GATE exists), GATE, NAMESPACE (a custom metric namespace of this client's own),
# START / END (the ISO range every metric read covers).
set -uo pipefail

aws=(/usr/bin/aws --endpoint-url "$ENDPOINT" --region us-east-1 --output json)

# call <case> <aws arguments…>: runs one call and records its answer.
call() {
  local name=$1
  shift
  "${aws[@]}" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
}

# value <JMESPath> <aws arguments…>: prints one figure of a call's answer (the CLI's own --query), or "error".
value() {
  local query=$1
  shift
  "${aws[@]}" "$@" --query "$query" --output text 2>/dev/null || echo error
}

# query <id> <metric> <stat> [function]: one AWS/Lambda MetricDataQuery in one-minute buckets, as JSON; without a
# function name, the account-wide series (no dimensions).
query() {
  local dimensions=''
  [ -n "${4:-}" ] && dimensions=$(printf '{"Name":"FunctionName","Value":"%s"}' "$4")
  printf '{"Id":"%s","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"%s","Dimensions":[%s]},' "$1" "$2" "$dimensions"
  printf '"Period":60,"Stat":"%s"}}' "$3"
}

# metric_sum <function> <metric> <stat>: the metric's stat over [START, END) in one-minute buckets, summed.
metric_sum() {
  value 'sum(MetricDataResults[0].Values)' cloudwatch get-metric-data --start-time "$START" --end-time "$END" \
    --metric-data-queries "[$(query m "$2" "$3" "$1")]"
}

# poll <seconds> <command…>: runs the command until it succeeds or the deadline passes; returns its last status.
poll() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
at_least() { # at_least <minimum> <function> <metric> <stat>
  local v
  v=$(metric_sum "$2" "$3" "$4")
  [ "$v" != error ] && [ "$v" != None ] && awk -v v="$v" -v m="$1" 'BEGIN { exit !(v + 0 >= m) }'
}
report_lines() { # report_lines <minimum>: at least that many REPORT lines in $FAST's log group
  local n
  n=$(value 'length(events)' logs filter-log-events --log-group-name "/aws/lambda/$FAST" \
    --filter-pattern '"REPORT RequestId"')
  [ "$n" != error ] && [ "$n" -ge "$1" ]
}

# --- Lambda
call get-configuration lambda get-function-configuration --function-name "$FAST"
call invoke-tail lambda invoke --function-name "$FAST" --log-type Tail --cli-binary-format raw-in-base64-out \
  --payload '{"client":"aws-cli"}' "$OUT/invoke-tail.payload"
call invoke-error lambda invoke --function-name "$FAIL" --log-type Tail --cli-binary-format raw-in-base64-out \
  --payload '{"value":7}' "$OUT/invoke-error.payload"
call invoke-event lambda invoke --function-name "$FAST" --invocation-type Event --cli-binary-format raw-in-base64-out \
  --payload '{"client":"aws-cli","async":true}' "$OUT/invoke-event.payload"
call update-configuration lambda update-function-configuration --function-name "$FAST" --memory-size 256
call wait-updated lambda wait function-updated --function-name "$FAST"
call configuration-after-update lambda get-function-configuration --function-name "$FAST"
call publish-version lambda publish-version --function-name "$FAST" --description conformance
call create-alias lambda create-alias --function-name "$FAST" --name live --function-version 1
call put-event-invoke-config lambda put-function-event-invoke-config --function-name "$FAST" \
  --maximum-retry-attempts 1 --maximum-event-age-in-seconds 3600
call get-event-invoke-config lambda get-function-event-invoke-config --function-name "$FAST"
call list-event-invoke-configs lambda list-function-event-invoke-configs --function-name "$FAST"

# --- The async scenario: reserved concurrency 1, two Event invocations at once of a function that holds its
# invocation until the gate opens. One runs and holds the concurrency; the other is throttled and waits in the queue.
# The gate opens once a Throttles datapoint is visible, so the waiting event's AsyncEventAge is > 0 by construction.
call put-concurrency lambda put-function-concurrency --function-name "$SLOW" --reserved-concurrent-executions 1
call async-invoke-1 lambda invoke --function-name "$SLOW" --invocation-type Event \
  --cli-binary-format raw-in-base64-out --payload "{\"id\":\"cli-1\",\"gate\":\"$GATE\"}" "$OUT/async-invoke-1.payload" &
call async-invoke-2 lambda invoke --function-name "$SLOW" --invocation-type Event \
  --cli-binary-format raw-in-base64-out --payload "{\"id\":\"cli-2\",\"gate\":\"$GATE\"}" "$OUT/async-invoke-2.payload" &
wait
poll 60 at_least 1 "$SLOW" Throttles Sum
echo $? >"$OUT/async-throttled.rc"
touch "$GATE"
poll 60 at_least 2 "$SLOW" AsyncEventAge SampleCount
echo $? >"$OUT/async-processed.rc"
call async-metrics cloudwatch get-metric-data --start-time "$START" --end-time "$END" --metric-data-queries \
  "[$(query received AsyncEventsReceived Sum "$SLOW"),$(query age_max AsyncEventAge Maximum "$SLOW"),
    $(query age_count AsyncEventAge SampleCount "$SLOW"),$(query throttles Throttles Sum "$SLOW"),
    $(query dropped AsyncEventsDropped Sum "$SLOW")]"
call async-statistics cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name AsyncEventsReceived \
  --dimensions "Name=FunctionName,Value=$SLOW" --start-time "$START" --end-time "$END" --period 60 --statistics Sum

# --- CloudWatch Logs: both invocations of $FAST (the tail and the Event one) have their REPORT lines.
INSIGHTS_QUERY='filter @type = "REPORT" | fields @requestId, @duration, @billedDuration, @maxMemoryUsed
| sort @timestamp asc'
poll 60 report_lines 2
call logs-filter logs filter-log-events --log-group-name "/aws/lambda/$FAST" --filter-pattern '"REPORT RequestId"'
call logs-start-query logs start-query --log-group-name "/aws/lambda/$FAST" \
  --start-time "$(date -d "$START" +%s)" --end-time "$(date -d "$END" +%s)" \
  --query-string "$INSIGHTS_QUERY"
query_id=$(sed -n 's/^ *"queryId": *"\([^"]*\)".*/\1/p' "$OUT/logs-start-query.json")
query_done() {
  local status
  status=$(value status logs get-query-results --query-id "$query_id")
  [ "$status" = Complete ] || [ "$status" = Failed ] || [ "$status" = error ]
}
poll 60 query_done
call logs-query-results logs get-query-results --query-id "$query_id"

# --- CloudWatch metrics
call metric-data cloudwatch get-metric-data --start-time "$START" --end-time "$END" --metric-data-queries \
  "[$(query invocations Invocations Sum "$FAST"),$(query errors Errors Sum "$FAIL"),$(query duration Duration SampleCount)]"
call metric-statistics cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Invocations \
  --dimensions "Name=FunctionName,Value=$FAST" --start-time "$START" --end-time "$END" --period 60 \
  --statistics Sum SampleCount
call list-metrics cloudwatch list-metrics --namespace AWS/Lambda --dimensions "Name=FunctionName,Value=$FAST"
call put-metric-data cloudwatch put-metric-data --namespace "$NAMESPACE" --metric-data \
  'MetricName=Widgets,Value=3,Unit=Count,Dimensions=[{Name=Shop,Value=north}]' \
  'MetricName=Widgets,Value=5,Unit=Count,Dimensions=[{Name=Shop,Value=north}]'
call custom-statistics cloudwatch get-metric-statistics --namespace "$NAMESPACE" --metric-name Widgets \
  --dimensions Name=Shop,Value=north --start-time "$START" --end-time "$END" --period 60 \
  --statistics Sum SampleCount Maximum

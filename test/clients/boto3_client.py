"""The boto3 half of the client conformance suite (test/clients/clients.test.ts starts local and runs this once).

Every client is made with endpoint_url= (boto3 1.26 does not read AWS_ENDPOINT_URL). Each case records either the
operation's answer (without ResponseMetadata) or the error botocore raised (its code and message); the whole record is
printed as one JSON object on stdout for the test to assert on. A failed call never stops the script, so one missing
operation shows up as one failed case and the rest still run.

Environment: ENDPOINT, FAST / FAIL / SLOW (function names: a quick handler, one that throws, and one that holds its
invocation until the file named GATE exists), GATE, NAMESPACE (a custom metric namespace of this client's own),
START / END (the ISO range every metric read covers).
"""
import base64
import json
import os
import sys
import time
from datetime import datetime

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ENV = os.environ
FAST, FAIL, SLOW, GATE, NAMESPACE = ENV["FAST"], ENV["FAIL"], ENV["SLOW"], ENV["GATE"], ENV["NAMESPACE"]
START = datetime.fromisoformat(ENV["START"].replace("Z", "+00:00"))
END = datetime.fromisoformat(ENV["END"].replace("Z", "+00:00"))

session = boto3.session.Session(region_name="us-east-1")
config = Config(retries={"max_attempts": 2, "mode": "standard"})
lam = session.client("lambda", endpoint_url=ENV["ENDPOINT"], config=config)
logs = session.client("logs", endpoint_url=ENV["ENDPOINT"], config=config)
cw = session.client("cloudwatch", endpoint_url=ENV["ENDPOINT"], config=config)

results = {}


def call(name, fn, **kwargs):
    """Runs one call, records its answer or its error under `name`, and returns the answer (None on error)."""
    try:
        answer = fn(**kwargs)
    except ClientError as error:
        err = error.response.get("Error", {})
        results[name] = {"ok": False, "error": {"code": err.get("Code"), "message": err.get("Message"), "text": str(error)}}
        return None
    except (BotoCoreError, ValueError) as error:
        results[name] = {"ok": False, "error": {"code": type(error).__name__, "message": str(error), "text": str(error)}}
        return None
    answer = dict(answer or {})
    answer.pop("ResponseMetadata", None)
    if "Payload" in answer:
        answer["Payload"] = answer["Payload"].read().decode("utf-8")
    if "LogResult" in answer:
        answer["Log"] = base64.b64decode(answer["LogResult"]).decode("utf-8")
    results[name] = {"ok": True, "value": answer}
    return answer


def poll(seconds, condition):
    """Calls `condition` until it is true or the deadline passes; returns whether it became true."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def lambda_query(query_id, metric, stat, function_name):
    dimensions = [] if function_name is None else [{"Name": "FunctionName", "Value": function_name}]
    metric_spec = {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dimensions}
    return {"Id": query_id, "MetricStat": {"Metric": metric_spec, "Period": 60, "Stat": stat}}


def metric_sum(function_name, metric, stat):
    """The metric's stat over [START, END) in one-minute buckets, summed; None when the call fails."""
    try:
        answer = cw.get_metric_data(StartTime=START, EndTime=END, MetricDataQueries=[lambda_query("m", metric, stat, function_name)])
    except (ClientError, BotoCoreError, ValueError):
        return None
    return sum(answer["MetricDataResults"][0]["Values"]) if answer["MetricDataResults"] else 0


def at_least(minimum, function_name, metric, stat):
    value = metric_sum(function_name, metric, stat)
    return value is not None and value >= minimum


# --- Lambda
call("get-configuration", lam.get_function_configuration, FunctionName=FAST)
call("invoke-tail", lam.invoke, FunctionName=FAST, LogType="Tail", Payload=json.dumps({"client": "boto3"}))
call("invoke-error", lam.invoke, FunctionName=FAIL, LogType="Tail", Payload=json.dumps({"value": 7}))
call("invoke-event", lam.invoke, FunctionName=FAST, InvocationType="Event", Payload=json.dumps({"client": "boto3", "async": True}))
call("update-configuration", lam.update_function_configuration, FunctionName=FAST, MemorySize=256)
call("wait-updated", lam.get_waiter("function_updated").wait, FunctionName=FAST, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
call("configuration-after-update", lam.get_function_configuration, FunctionName=FAST)
call("publish-version", lam.publish_version, FunctionName=FAST, Description="conformance")
call("create-alias", lam.create_alias, FunctionName=FAST, Name="live", FunctionVersion="1")
call("put-event-invoke-config", lam.put_function_event_invoke_config, FunctionName=FAST, MaximumRetryAttempts=1, MaximumEventAgeInSeconds=3600)
call("get-event-invoke-config", lam.get_function_event_invoke_config, FunctionName=FAST)
call("list-event-invoke-configs", lam.list_function_event_invoke_configs, FunctionName=FAST)

# --- The async scenario: reserved concurrency 1, two Event invocations of a function that holds its invocation until
# the gate opens. One runs and holds the concurrency; the other is throttled and waits in the queue. The gate opens
# once a Throttles datapoint is visible, so the waiting event's AsyncEventAge is > 0 by construction.
call("put-concurrency", lam.put_function_concurrency, FunctionName=SLOW, ReservedConcurrentExecutions=1)
for i in (1, 2):
    call(f"async-invoke-{i}", lam.invoke, FunctionName=SLOW, InvocationType="Event", Payload=json.dumps({"id": f"py-{i}", "gate": GATE}))
results["async-throttled"] = {"ok": poll(60, lambda: at_least(1, SLOW, "Throttles", "Sum"))}
with open(GATE, "w", encoding="utf-8"):
    pass
results["async-processed"] = {"ok": poll(60, lambda: at_least(2, SLOW, "AsyncEventAge", "SampleCount"))}
call(
    "async-metrics",
    cw.get_metric_data,
    StartTime=START,
    EndTime=END,
    MetricDataQueries=[
        lambda_query("received", "AsyncEventsReceived", "Sum", SLOW),
        lambda_query("age_max", "AsyncEventAge", "Maximum", SLOW),
        lambda_query("age_count", "AsyncEventAge", "SampleCount", SLOW),
        lambda_query("throttles", "Throttles", "Sum", SLOW),
        lambda_query("dropped", "AsyncEventsDropped", "Sum", SLOW),
    ],
)
call(
    "async-statistics",
    cw.get_metric_statistics,
    Namespace="AWS/Lambda",
    MetricName="AsyncEventsReceived",
    Dimensions=[{"Name": "FunctionName", "Value": SLOW}],
    StartTime=START,
    EndTime=END,
    Period=60,
    Statistics=["Sum"],
)

# --- CloudWatch Logs: both invocations of FAST (the tail and the Event one) have their REPORT lines.
GROUP = f"/aws/lambda/{FAST}"


def report_lines():
    try:
        return len(logs.filter_log_events(logGroupName=GROUP, filterPattern='"REPORT RequestId"')["events"]) >= 2
    except (ClientError, BotoCoreError):
        return False


poll(60, report_lines)
call("logs-filter", logs.filter_log_events, logGroupName=GROUP, filterPattern='"REPORT RequestId"')
started = call(
    "logs-start-query",
    logs.start_query,
    logGroupName=GROUP,
    startTime=int(START.timestamp()),
    endTime=int(END.timestamp()),
    queryString='filter @type = "REPORT" | fields @requestId, @duration, @billedDuration, @maxMemoryUsed | sort @timestamp asc',
)
if started is not None:

    def query_done():
        try:
            return logs.get_query_results(queryId=started["queryId"])["status"] in ("Complete", "Failed", "Cancelled", "Timeout")
        except (ClientError, BotoCoreError):
            return True

    poll(60, query_done)
    call("logs-query-results", logs.get_query_results, queryId=started["queryId"])

# --- CloudWatch metrics
call(
    "metric-data",
    cw.get_metric_data,
    StartTime=START,
    EndTime=END,
    MetricDataQueries=[
        lambda_query("invocations", "Invocations", "Sum", FAST),
        lambda_query("errors", "Errors", "Sum", FAIL),
        lambda_query("duration", "Duration", "SampleCount", None),
    ],
)
call(
    "metric-statistics",
    cw.get_metric_statistics,
    Namespace="AWS/Lambda",
    MetricName="Invocations",
    Dimensions=[{"Name": "FunctionName", "Value": FAST}],
    StartTime=START,
    EndTime=END,
    Period=60,
    Statistics=["Sum", "SampleCount"],
)
call("list-metrics", cw.list_metrics, Namespace="AWS/Lambda", Dimensions=[{"Name": "FunctionName", "Value": FAST}])
shop = [{"Name": "Shop", "Value": "north"}]
call(
    "put-metric-data",
    cw.put_metric_data,
    Namespace=NAMESPACE,
    MetricData=[
        {"MetricName": "Widgets", "Value": 3, "Unit": "Count", "Dimensions": shop},
        {"MetricName": "Widgets", "Value": 5, "Unit": "Count", "Dimensions": shop},
    ],
)
call(
    "custom-statistics",
    cw.get_metric_statistics,
    Namespace=NAMESPACE,
    MetricName="Widgets",
    Dimensions=shop,
    StartTime=START,
    EndTime=END,
    Period=60,
    Statistics=["Sum", "SampleCount", "Maximum"],
)

json.dump(results, sys.stdout, default=lambda o: o.isoformat() if isinstance(o, datetime) else str(o))
sys.stdout.write("\n")

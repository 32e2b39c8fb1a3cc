#!/usr/bin/env python3
"""A Ridley worker for the divide pipeline over RabbitMQ, with pika only (Debian: python3-pika).

It consumes ridley.tasks.<pipeline>.<stage> for the divide pipeline's stages (divide, ocean,
errors), says it started each task, runs it, sends the result to ridley.results and acks the
delivery only after the broker confirmed the result (at-least-once: a worker that dies before
that has its task redelivered; Ridley refuses a result for an attempt that is no longer current).

    RIDLEY_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/%2f /usr/bin/python3 amqp_worker.py

Options: --url (default $RIDLEY_AMQP_URL), --pipeline (default divide), --prefetch (default 10),
--worker (default python-<pid>). The message shapes are in docs/AMQP.md.
"""

import argparse
import json
import os
import signal
import sys
import traceback

import pika

RESULTS = "ridley.results"
QUORUM = {"x-queue-type": "quorum"}
PERSISTENT_JSON = pika.BasicProperties(content_type="application/json", delivery_mode=2)


def divide(payload):
    """x / y; a division by zero is a failure that no retry would cure."""
    x, y = payload.get("x"), payload.get("y")
    if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
        raise ValueError("divide expects {\"x\": number, \"y\": number}, got %s" % json.dumps(payload))
    return x / y


def pass_on(payload):
    return payload


HANDLERS = {"divide": divide, "ocean": pass_on, "errors": pass_on}
NOT_RETRYABLE = (ZeroDivisionError, ValueError)


def result_for(task):
    """Runs the stage's handler; the result as one item of Ridley's batch report."""
    try:
        output = HANDLERS[task["stage"]](task["payload"])
        return {"id": task["id"], "outcome": "ok", "output": output}
    except Exception as e:  # the handler's failure is the attempt's outcome
        return {
            "id": task["id"],
            "outcome": "failed",
            "error": {"type": type(e).__name__, "message": str(e), "stack": traceback.format_exc()},
            "retryable": not isinstance(e, NOT_RETRYABLE),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("RIDLEY_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"))
    parser.add_argument("--pipeline", default="divide")
    parser.add_argument("--prefetch", type=int, default=10)
    parser.add_argument("--worker", default="python-%d" % os.getpid())
    args = parser.parse_args()

    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    channel = connection.channel()
    channel.confirm_delivery()  # basic_publish raises when the broker does not take a message
    channel.basic_qos(prefetch_count=args.prefetch)
    channel.queue_declare(RESULTS, durable=True, arguments=QUORUM)

    def send(message):
        channel.basic_publish("", RESULTS, json.dumps(message).encode("utf-8"), PERSISTENT_JSON)

    def on_task(ch, method, properties, body):
        task = json.loads(body)
        send({"id": task["id"], "event": "started", "worker": args.worker})
        send(result_for(task))  # confirmed by the broker when this returns
        ch.basic_ack(method.delivery_tag)

    for stage in HANDLERS:
        queue = "ridley.tasks.%s.%s" % (args.pipeline, stage)
        channel.queue_declare(queue, durable=True, arguments=QUORUM)
        channel.basic_consume(queue, on_task)

    def stop(signum, frame):
        channel.stop_consuming()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("worker %s consuming %s stages %s" % (args.worker, args.pipeline, ", ".join(HANDLERS)), flush=True)
    channel.start_consuming()
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

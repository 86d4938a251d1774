"""moto_server, with its DynamoDB requests handled one at a time.

DynamoDB applies a transaction's conditions and writes atomically. moto_server answers each
request on its own thread and checks a transaction's conditions, then writes, with nothing held
in between: two processes closing one merge window at once could both pass the condition that
only one may pass. Serving DynamoDB's requests in turn gives the tests DynamoDB's atomicity;
every other service keeps moto's threads (an SQS long poll must not hold up the rest).

Usage: python3 moto-server.py -H 127.0.0.1 -p PORT (moto_server's own arguments).
"""

import sys
import threading

from moto.dynamodb.responses import DynamoHandler
from moto.server import main

_one_at_a_time = threading.Lock()
_call_action = DynamoHandler.call_action


def _serialized_call_action(self):
    with _one_at_a_time:
        return _call_action(self)


DynamoHandler.call_action = _serialized_call_action

if __name__ == "__main__":
    main(sys.argv[1:])

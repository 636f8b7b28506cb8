#!/usr/bin/env python3
"""Send HL7 files over MLLP with python-hl7's client and print each ACK (segments on separate lines).

usage: mllp_send.py HOST PORT FILE...   (CR, LF or CRLF segment separators are accepted)
Exit codes: 0 every message answered, 3 the peer closed or refused without answering.
"""
import socket
import sys

import hl7
from hl7.client import MLLPClient


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 64
    host, port, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    try:
        with MLLPClient(host, port, encoding="utf-8") as client:
            client.socket.settimeout(10)
            for name in files:
                text = open(name, encoding="utf-8").read().replace("\r\n", "\r").replace("\n", "\r")
                answer = client.send_message(text)
                if not answer:
                    print(f"{name}: connection closed without an ACK", file=sys.stderr)
                    return 3
                ack = answer.decode("utf-8").strip("\x0b\x1c\r")
                print(ack.replace("\r", "\n"))
                print("--")
    except (ConnectionError, socket.timeout, OSError) as error:
        print(f"no answer: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

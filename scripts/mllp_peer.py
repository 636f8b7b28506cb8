#!/usr/bin/env python3
"""A fault-injecting MLLP receiver (RIS stand-in) built on python-hl7's asyncio streams, for delivery tests.

It logs every reception to --log as one line `MSH-10 STATUS ACTION`:
  STATUS  new (first time this MSH-10 was accepted), dup (accepted before: de-duplicated), rejected (AE/AR sent)
  ACTION  aa, ae, ar, drop (connection closed before the ACK), slow (ACK after --delay seconds)
The set of accepted MSH-10s is reloaded from --log at start, so de-duplication survives a receiver restart.

Faults apply to the receptions numbered in --fault-at (1-based, counted since this process started), or to every
reception when --fault-at is empty. --listen-after S refuses connections for S seconds (nothing listening) first.

--dump DIR writes the exact bytes of every reception (without MLLP framing) to DIR/NNNNNN.hl7, numbered like the
receptions, so a test can compare resends byte for byte. --tls-cert/--tls-key serve MLLP over TLS (Python ssl).

Usage: mllp_peer.py --port 0 --port-file F --log L [--mode aa|ae|ar|drop|slow] [--fault-at 2,5] [--delay 3]
                    [--dump DIR] [--tls-cert CERT.pem --tls-key KEY.pem]
"""
import argparse
import asyncio
import os
import ssl
import sys

import hl7
import hl7.mllp


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (written to --port-file)")
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--log", required=True, help="append one line per reception")
    p.add_argument("--mode", default="aa", choices=["aa", "ae", "ar", "drop", "slow", "refuse"])
    p.add_argument("--fault-at", default="", help="comma-separated reception numbers the fault applies to")
    p.add_argument("--delay", type=float, default=3.0, help="seconds before a slow ACK")
    p.add_argument("--listen-after", type=float, default=0.0, help="refuse connections for this long first")
    p.add_argument("--reason", default="rejected by test peer", help="MSA-3 text of AE/AR")
    p.add_argument("--dump", help="write each received message's bytes to DIR/NNNNNN.hl7")
    p.add_argument("--tls-cert", help="PEM certificate: serve over TLS")
    p.add_argument("--tls-key", help="PEM private key of --tls-cert")
    return p.parse_args()


class Peer:
    def __init__(self, args):
        self.args = args
        self.faults = {int(x) for x in args.fault_at.split(",") if x.strip()}
        self.count = 0
        self.seen = set()
        if os.path.exists(args.log):
            with open(args.log, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2 and parts[1] in ("new", "dup"):
                        self.seen.add(parts[0])
        self.log = open(args.log, "a", encoding="utf-8", buffering=1)

    def action_for(self, number):
        mode = self.args.mode
        if mode in ("aa", "refuse"):
            return "aa"
        if self.faults and number not in self.faults:
            return "aa"
        return mode

    def record(self, control_id, status, action):
        self.log.write(f"{control_id} {status} {action}\n")
        self.log.flush()

    async def handle(self, reader, writer):
        try:
            while not writer.is_closing():
                block = await reader.readblock()
                message = hl7.parse(block.decode("utf-8"))
                self.count += 1
                if self.args.dump:
                    with open(os.path.join(self.args.dump, f"{self.count:06d}.hl7"), "wb") as f:
                        f.write(block)
                action = self.action_for(self.count)
                control_id = str(message.segment("MSH")(10))
                if action in ("ae", "ar"):
                    self.record(control_id, "rejected", action)
                    ack = str(message.create_ack(ack_code=action.upper())).rstrip("\r")
                    writer.writemessage(ack + "|" + self.args.reason + "\r")
                    await writer.drain()
                    continue
                status = "dup" if control_id in self.seen else "new"
                self.seen.add(control_id)
                self.record(control_id, status, action)
                if action == "drop":
                    return
                if action == "slow":
                    await asyncio.sleep(self.args.delay)
                writer.writemessage(message.create_ack(ack_code="AA"))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        except Exception as error:  # a test peer must keep serving
            print(f"mllp_peer: {error!r}", file=sys.stderr)
        finally:
            writer.close()


async def main():
    args = parse_args()
    peer = Peer(args)
    if args.dump:
        os.makedirs(args.dump, exist_ok=True)
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    if args.listen_after > 0:
        await asyncio.sleep(args.listen_after)
    server = await hl7.mllp.start_hl7_server(
        peer.handle, host=args.host, port=args.port, encoding="utf-8", limit=16 * 1024 * 1024, ssl=context
    )
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
    print(f"mllp_peer listening on {args.host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass

#!/usr/bin/python3
"""A Modbus TCP or RTU server (pymodbus 3.0.x, Debian's python3-pymodbus) for mapper tests.

Each slave has 200 coils, discrete inputs, input registers and holding registers at addresses
0..199 (zero_mode: offset N in the profile is index N here); anything above is an illegal data
address. Tests inspect and change registers through a line protocol on stdin/stdout:

    get <slave> <co|di|ir|hr> <address> <count>   -> {"ok": true, "values": [...]}
    set <slave> <co|di|ir|hr> <address> <v1,v2..>  -> {"ok": true}

"READY" is printed once the server accepts requests.
"""
import argparse
import asyncio
import json
import logging
import sys
import threading

from pymodbus.datastore import (
    ModbusSequentialDataBlock,
    ModbusServerContext,
    ModbusSlaveContext,
)
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

SIZE = 200
FC = {"co": 1, "di": 2, "hr": 3, "ir": 4}


def make_context(slaves):
    stores = {}
    for unit in slaves:
        stores[unit] = ModbusSlaveContext(
            co=ModbusSequentialDataBlock(0, [0] * SIZE),
            di=ModbusSequentialDataBlock(0, [0] * SIZE),
            hr=ModbusSequentialDataBlock(0, [0] * SIZE),
            ir=ModbusSequentialDataBlock(0, [0] * SIZE),
            zero_mode=True,
        )
    return ModbusServerContext(slaves=stores, single=False)


def handle(context, line):
    parts = line.split()
    if len(parts) != 5 or parts[0] not in ("get", "set") or parts[2] not in FC:
        return {"ok": False, "error": "usage: get|set <slave> <co|di|ir|hr> <address> <count|values>"}
    store = context[int(parts[1])]
    fc, address = FC[parts[2]], int(parts[3])
    if parts[0] == "get":
        values = store.getValues(fc, address, int(parts[4]))
        return {"ok": True, "values": [int(v) for v in values]}
    store.setValues(fc, address, [int(v) for v in parts[4].split(",")])
    return {"ok": True}


def control_loop(context):
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            reply = handle(context, line)
        except Exception as exc:  # report, never die: the test decides what a failure means
            reply = {"ok": False, "error": str(exc)}
        print(json.dumps(reply), flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcp", help="host:port to listen on")
    parser.add_argument("--rtu", help="serial device (e.g. a socat pty)")
    parser.add_argument("--slaves", default="1", help="comma-separated unit ids")
    parser.add_argument("--baudrate", type=int, default=9600)
    parser.add_argument(
        "--ignore-missing-slaves", action="store_true",
        help="stay silent for unknown unit ids (a dead slave) instead of exception 11",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    context = make_context([int(s) for s in args.slaves.split(",")])
    threading.Thread(target=control_loop, args=(context,), daemon=True).start()
    if args.tcp:
        host, port = args.tcp.rsplit(":", 1)
        server = await StartAsyncTcpServer(
            context, address=(host, int(port)), framer=ModbusSocketFramer,
            allow_reuse_address=True, defer_start=True,
            ignore_missing_slaves=args.ignore_missing_slaves,
        )
        serving = asyncio.ensure_future(server.serve_forever())
        await server.serving
        print("READY", flush=True)
        await serving
    elif args.rtu:
        server = await StartAsyncSerialServer(
            context, framer=ModbusRtuFramer, port=args.rtu, baudrate=args.baudrate,
            defer_start=True, ignore_missing_slaves=args.ignore_missing_slaves,
        )
        await server.start()
        print("READY", flush=True)
        await server.serve_forever()
    else:
        parser.error("one of --tcp or --rtu is required")


if __name__ == "__main__":
    asyncio.run(main())

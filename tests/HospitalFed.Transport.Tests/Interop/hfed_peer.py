#!/usr/bin/python3
"""A real gRPC peer for HospitalFed's interoperability tests and benchmarks (grpcio, Debian python3-grpcio).

Message classes come from a FileDescriptorSet built from the project's .proto files, so this script
needs no generated code and no protoc: any python3-grpcio/python3-protobuf pair works.

  serve  --descriptors F [--tls CA CERT KEY]           a server on 127.0.0.1, prints "PORT <n>"
  call   --descriptors F --target H:P [--tls CA CERT KEY]  runs every check against a server
  bench  --descriptors F [--tls ...] [--target H:P]    unary latency and streaming throughput (JSON)
  reflect --descriptors F --target H:P [--tls ...]     lists the server's services through server
                                                       reflection (grpc.reflection.v1alpha), one
                                                       "SERVICE <name>" line each
  driver --descriptors F [--tls CA CERT KEY]           a server plus a python client of it, driven from
                                                       stdin ("unary N", "upload BYTES", "download BYTES",
                                                       each answered "done"), for the .NET benchmarks
"""
import argparse
import hashlib
import json
import sys
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

CHUNK = 64 * 1024


def load_messages(path):
    with open(path, "rb") as f:
        fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for proto in fds.file:
        pool.Add(proto)
    factory = message_factory.MessageFactory(pool)

    def cls(name):
        descriptor = pool.FindMessageTypeByName(name)
        getter = getattr(message_factory, "GetMessageClass", None)
        return getter(descriptor) if getter else factory.GetPrototype(descriptor)

    names = ["hospitalfed.v1." + n for n in
             ("EchoRequest", "EchoReply", "EchoStatus", "CountRequest", "SumReply", "BlobChunk", "BlobReceipt", "BlobRequest")]
    names += ["grpc.health.v1.HealthCheckRequest", "grpc.health.v1.HealthCheckResponse"]
    return {n.split(".")[-1]: cls(n) for n in names}


def generated(length, seed=1):
    """Deterministic bytes, produced chunk by chunk (never the whole payload in memory)."""
    block = hashlib.sha256(str(seed).encode()).digest() * (CHUNK // 32)
    sent = 0
    while sent < length:
        n = min(CHUNK, length - sent)
        yield block[:n]
        sent += n


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------- server

def build_server(m, tls):
    def echo(request, context):
        if request.delay_ms:
            time.sleep(min(request.delay_ms, 60000) / 1000)
        if request.response_status.code:
            context.abort(grpc.StatusCode(_code(request.response_status.code)), request.response_status.message)
        return m["EchoReply"](message=request.message, payload=request.payload)

    def count(request, context):
        payload = bytes(request.payload_size)
        for i in range(request.count):
            if i and request.interval_ms:
                time.sleep(request.interval_ms / 1000)
            yield m["EchoReply"](sequence=i, payload=payload)

    def sum_(requests, context):
        messages, total = 0, 0
        for r in requests:
            messages += 1
            total += len(r.payload)
        return m["SumReply"](messages=messages, payload_bytes=total)

    def chat(requests, context):
        for i, r in enumerate(requests):
            yield m["EchoReply"](message=r.message, payload=r.payload, sequence=i)

    blobs = {}

    def upload(chunks, context):
        digest, length, blob_id, last = hashlib.sha256(), 0, None, None
        for c in chunks:
            if blob_id is None:
                blob_id = c.blob_id
            digest.update(c.data)
            length += len(c.data)
            if c.sha256:
                last = c
        if last is None or last.total_length != length or last.sha256 != digest.digest():
            context.abort(grpc.StatusCode.DATA_LOSS, "digest or length mismatch")
        blobs[blob_id] = (length, digest.digest())
        return m["BlobReceipt"](blob_id=blob_id, length=length, sha256=digest.digest())

    def download(request, context):
        # "generated-<n>" streams n deterministic bytes, so large downloads need no storage.
        if not request.blob_id.startswith("generated-"):
            context.abort(grpc.StatusCode.NOT_FOUND, "no blob named " + request.blob_id)
        length = int(request.blob_id[len("generated-"):])
        digest, first = hashlib.sha256(), True
        for data in generated(length):
            digest.update(data)
            yield m["BlobChunk"](blob_id=request.blob_id if first else "", data=data)
            first = False
        yield m["BlobChunk"](blob_id=request.blob_id if first else "", sha256=digest.digest(), total_length=length)

    def check(request, context):
        if request.service not in ("", "hospitalfed.v1.Diagnostics"):
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
        return m["HealthCheckResponse"](status=1)

    ser = lambda msg: msg.SerializeToString()
    handlers = [
        grpc.method_handlers_generic_handler("hospitalfed.v1.Diagnostics", {
            "Echo": grpc.unary_unary_rpc_method_handler(echo, m["EchoRequest"].FromString, ser),
            "Count": grpc.unary_stream_rpc_method_handler(count, m["CountRequest"].FromString, ser),
            "Sum": grpc.stream_unary_rpc_method_handler(sum_, m["EchoRequest"].FromString, ser),
            "Chat": grpc.stream_stream_rpc_method_handler(chat, m["EchoRequest"].FromString, ser),
        }),
        grpc.method_handlers_generic_handler("hospitalfed.v1.BlobTransfer", {
            "Upload": grpc.stream_unary_rpc_method_handler(upload, m["BlobChunk"].FromString, ser),
            "Download": grpc.unary_stream_rpc_method_handler(download, m["BlobRequest"].FromString, ser),
        }),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
            "Check": grpc.unary_unary_rpc_method_handler(check, m["HealthCheckRequest"].FromString, ser),
        }),
    ]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), handlers=handlers,
                         options=[("grpc.max_receive_message_length", 4 * 1024 * 1024)])
    if tls:
        ca, cert, key = (read_file(p) for p in tls)
        credentials = grpc.ssl_server_credentials([(key, cert)], root_certificates=ca, require_client_auth=True)
        port = server.add_secure_port("127.0.0.1:0", credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def _code(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code.value
    raise ValueError(number)


def serve(args):
    m = load_messages(args.descriptors)
    server, port = build_server(m, args.tls)
    print("PORT", port, flush=True)
    # Runs until the test closes stdin or kills the process.
    sys.stdin.read()
    server.stop(grace=None)


# ---------------------------------------------------------------- client

def open_channel(target, tls):
    options = [("grpc.max_receive_message_length", 4 * 1024 * 1024)]
    if not tls:
        return grpc.insecure_channel(target, options=options)
    ca, cert, key = (read_file(p) for p in tls)
    credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)
    return grpc.secure_channel(target, credentials, options=options + [("grpc.ssl_target_name_override", "localhost")])


def stubs(channel, m):
    ser = lambda msg: msg.SerializeToString()
    return {
        "check": channel.unary_unary("/grpc.health.v1.Health/Check", ser, m["HealthCheckResponse"].FromString),
        "echo": channel.unary_unary("/hospitalfed.v1.Diagnostics/Echo", ser, m["EchoReply"].FromString),
        "count": channel.unary_stream("/hospitalfed.v1.Diagnostics/Count", ser, m["EchoReply"].FromString),
        "sum": channel.stream_unary("/hospitalfed.v1.Diagnostics/Sum", ser, m["SumReply"].FromString),
        "chat": channel.stream_stream("/hospitalfed.v1.Diagnostics/Chat", ser, m["EchoReply"].FromString),
        "upload": channel.stream_unary("/hospitalfed.v1.BlobTransfer/Upload", ser, m["BlobReceipt"].FromString),
        "download": channel.unary_stream("/hospitalfed.v1.BlobTransfer/Download", ser, m["BlobChunk"].FromString),
        "missing": channel.unary_unary("/hospitalfed.v1.Diagnostics/DoesNotExist", ser, m["EchoReply"].FromString),
    }


def upload_chunks(m, blob_id, length):
    digest, first = hashlib.sha256(), True
    for data in generated(length, seed=7):
        digest.update(data)
        yield m["BlobChunk"](blob_id=blob_id if first else "", data=data)
        first = False
    yield m["BlobChunk"](blob_id=blob_id if first else "", sha256=digest.digest(), total_length=length)


def expect_status(call, code, contains=None):
    try:
        call()
    except grpc.RpcError as e:
        if e.code() != code:
            raise AssertionError("expected %s, got %s: %s" % (code, e.code(), e.details()))
        if contains and contains not in (e.details() or ""):
            raise AssertionError("detail %r lacks %r" % (e.details(), contains))
        return
    raise AssertionError("expected %s, call succeeded" % code)


def run_checks(args):
    m = load_messages(args.descriptors)
    s = stubs(open_channel(args.target, args.tls), m)
    E = m["EchoRequest"]
    checks = []

    def check(name, fn):
        try:
            fn()
            print("OK", name, flush=True)
            checks.append(True)
        except Exception as e:  # report every check, not just the first failure
            print("FAIL", name + ":", repr(e), flush=True)
            checks.append(False)

    def assert_eq(a, b):
        if a != b:
            raise AssertionError("%r != %r" % (a, b))

    check("health.check", lambda: assert_eq(s["check"](m["HealthCheckRequest"](), timeout=10).status, 1))
    check("health.unknown-service", lambda: expect_status(
        lambda: s["check"](m["HealthCheckRequest"](service="nope"), timeout=10), grpc.StatusCode.NOT_FOUND))
    check("echo", lambda: assert_eq(s["echo"](E(message="héllo", payload=b"\x00\x01"), timeout=10).message, "héllo"))
    check("echo.empty", lambda: assert_eq(s["echo"](E(), timeout=10).ByteSize(), 0))
    check("echo.status", lambda: expect_status(lambda: s["echo"](
        E(response_status=m["EchoStatus"](code=9, message="précondition 100%")), timeout=10),
        grpc.StatusCode.FAILED_PRECONDITION, "précondition 100%"))
    check("echo.deadline", lambda: expect_status(
        lambda: s["echo"](E(delay_ms=5000), timeout=0.3), grpc.StatusCode.DEADLINE_EXCEEDED))
    check("echo.too-large", lambda: expect_status(
        lambda: s["echo"](E(payload=bytes(4 * 1024 * 1024 + 1)), timeout=10), grpc.StatusCode.RESOURCE_EXHAUSTED))
    check("unimplemented", lambda: expect_status(lambda: s["missing"](E(), timeout=10), grpc.StatusCode.UNIMPLEMENTED))
    check("count", lambda: assert_eq([r.sequence for r in s["count"](m["CountRequest"](count=5, payload_size=10), timeout=10)],
                                     [0, 1, 2, 3, 4]))
    check("sum", lambda: assert_eq(s["sum"](iter([E(payload=b"ab"), E(payload=b"cde")]), timeout=10).payload_bytes, 5))
    check("chat", lambda: assert_eq([r.message for r in s["chat"](iter([E(message="a"), E(message="b")]), timeout=10)],
                                    ["a", "b"]))

    def blob_round_trip():
        length = 3 * 1024 * 1024 + 5
        receipt = s["upload"](upload_chunks(m, "interop-blob", length), timeout=60)
        assert_eq(receipt.length, length)
        digest, size, last = hashlib.sha256(), 0, None
        for chunk in s["download"](m["BlobRequest"](blob_id="interop-blob"), timeout=60):
            digest.update(chunk.data)
            size += len(chunk.data)
            if chunk.sha256:
                last = chunk
        assert_eq((size, digest.digest()), (length, receipt.sha256))
        assert_eq(last.sha256, receipt.sha256)

    check("blob.round-trip", blob_round_trip)
    check("blob.tampered", lambda: expect_status(lambda: s["upload"](iter([
        m["BlobChunk"](blob_id="tampered", data=b"abc"),
        m["BlobChunk"](sha256=hashlib.sha256(b"abd").digest(), total_length=3)]), timeout=10), grpc.StatusCode.DATA_LOSS))
    return 0 if all(checks) else 1


def bench(args):
    """Unary round trips and streamed bytes, python client against `--target` or its own server."""
    m = load_messages(args.descriptors)
    server = None
    target = args.target
    if not target:
        server, port = build_server(m, args.tls)
        target = "127.0.0.1:%d" % port
    s = stubs(open_channel(target, args.tls), m)
    E = m["EchoRequest"]
    for _ in range(200):
        s["echo"](E(message="warm"), timeout=10)
    start = time.perf_counter()
    for _ in range(args.calls):
        s["echo"](E(message="ping"), timeout=10)
    unary_us = (time.perf_counter() - start) / args.calls * 1e6
    length = args.mib * 1024 * 1024
    s["upload"](upload_chunks(m, "warmup", 4 * 1024 * 1024), timeout=120)
    start = time.perf_counter()
    s["upload"](upload_chunks(m, "bench", length), timeout=600)
    upload_s = time.perf_counter() - start
    start = time.perf_counter()
    size = sum(len(c.data) for c in s["download"](m["BlobRequest"](blob_id="generated-%d" % length), timeout=600))
    download_s = time.perf_counter() - start
    if server:
        server.stop(grace=None)
    print(json.dumps({"unary_us": unary_us, "upload_mib_s": args.mib / upload_s,
                      "download_mib_s": size / 1048576 / download_s, "calls": args.calls, "mib": args.mib}))
    return 0


def drive(args):
    """Serves, prints PORT, then runs python-client -> python-server work on request, so the .NET
    benchmark measures grpcio against itself in the same run as its own figures."""
    m = load_messages(args.descriptors)
    server, port = build_server(m, args.tls)
    client_tls = [args.tls[0]] + args.client_cert if args.tls and args.client_cert else args.tls
    s = stubs(open_channel("127.0.0.1:%d" % port, client_tls), m)
    E = m["EchoRequest"]
    s["echo"](E(message="warm"), timeout=10)
    print("PORT", port, flush=True)
    for line in sys.stdin:
        command, _, value = line.strip().partition(" ")
        n = int(value or 0)
        if command == "unary":
            for _ in range(n):
                s["echo"](E(message="ping"), timeout=10)
        elif command == "upload":
            s["upload"](upload_chunks(m, "bench", n), timeout=600)
        elif command == "download":
            # Hash what arrives, as the .NET client does, so both sides do the same work.
            digest = hashlib.sha256()
            for chunk in s["download"](m["BlobRequest"](blob_id="generated-%d" % n), timeout=600):
                digest.update(chunk.data)
        else:
            break
        print("done", flush=True)
    server.stop(grace=None)


def reflect(args):
    """Lists the services a server offers, as grpcurl does: one ServerReflectionInfo list_services call."""
    with open(args.descriptors, "rb") as f:
        fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for proto in fds.file:
        pool.Add(proto)
    getter = getattr(message_factory, "GetMessageClass", None)
    factory = message_factory.MessageFactory(pool)

    def cls(name):
        descriptor = pool.FindMessageTypeByName(name)
        return getter(descriptor) if getter else factory.GetPrototype(descriptor)

    request, response = (cls("grpc.reflection.v1alpha." + n) for n in ("ServerReflectionRequest", "ServerReflectionResponse"))
    channel = open_channel(args.target, args.tls)
    info = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                 lambda msg: msg.SerializeToString(), response.FromString)
    for answer in info(iter([request(list_services="*")]), timeout=30):
        for service in answer.list_services_response.service:
            print("SERVICE", service.name, flush=True)
    channel.close()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["serve", "call", "bench", "driver", "reflect"])
    parser.add_argument("--descriptors", required=True, help="FileDescriptorSet of the project's .proto files")
    parser.add_argument("--target", help="host:port of the server to call")
    parser.add_argument("--tls", nargs=3, metavar=("CA", "CERT", "KEY"), help="PEM files for mutual TLS")
    parser.add_argument("--client-cert", nargs=2, metavar=("CERT", "KEY"), help="driver: PEM certificate and key of its own client")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--mib", type=int, default=128)
    args = parser.parse_args()
    if args.mode == "serve":
        serve(args)
        return 0
    if args.mode == "call":
        return run_checks(args)
    if args.mode == "reflect":
        return reflect(args)
    if args.mode == "driver":
        drive(args)
        return 0
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())

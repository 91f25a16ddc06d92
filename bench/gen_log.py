#!/usr/bin/env python3
"""Write a deterministic, realistic application log of about SIZE bytes to stdout.

Ordinary traffic (nginx access lines, application INFO lines, successful payment calls
that name their provider) with about 1 % payment errors of many shapes and providers:
every rich knowledge-base sample (JSON bodies, SDK exceptions, plugin lines), some
pretty-printed over several lines, some followed by a stack trace.

usage: gen_log.py SIZE_BYTES [SEED] > app.log
"""
import glob
import json
import os
import random
import sys
import tomllib

size = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
here = os.path.dirname(os.path.abspath(__file__))

samples = []
for path in sorted(glob.glob(os.path.join(here, "..", "knowledge", "*.toml"))):
    with open(path, "rb") as f:
        kb = tomllib.load(f)
    for e in kb.get("error", []):
        samples += [s for s in e.get("samples", []) if ":" not in s.split(" ")[0] or "{" in s]

paths = ["/", "/products/%d", "/cart", "/checkout", "/api/orders/%d", "/static/app.%d.js", "/images/p%d.jpg"]
agents = ['"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0"', '"curl/8.5.0"', '"kube-probe/1.30"']
workers = ["worker-%d" % i for i in range(8)]
ok_calls = [
    "POST https://api.stripe.com/v1/payment_intents 200 in %dms",
    "Stripe charge succeeded ch_3Nx%06d amount=1299 currency=usd",
    "POST https://api-m.paypal.com/v2/checkout/orders 201 in %dms",
    "Adyen /payments resultCode=Authorised pspReference=88%014d",
    "Checkout.com payment pay_%026d status=Authorized",
    "Mercado Pago payment %d status=approved status_detail=accredited",
    "Afterpay order token: 001.%020d",
    "Payment APPROVED for WooCommerce Order #%d",
]


def ts(t):
    ms = t % 1000
    s = t // 1000
    return "2024-05-%02dT%02d:%02d:%02d.%03dZ" % (1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60, ms)


def clf(t):
    s = t // 1000
    return "%02d/May/2024:%02d:%02d:%02d +0000" % (1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60)


def error(t):
    sample = rng.choice(samples)
    shape = rng.random()
    if shape < 0.15 and sample.startswith("{"):
        try:
            body = json.dumps(json.loads(sample), indent=2)
            return "%s ERROR payment gateway responded:\n%s\n" % (ts(t), body)
        except ValueError:
            pass
    if shape < 0.25:
        return "%s ERROR [%s] %s\n#0 /var/www/app/src/Payment/Gateway.php(%d): request()\n#1 {main}\n" % (
            ts(t), rng.choice(workers), sample, rng.randrange(900))
    return "%s ERROR [%s] payment failed: %s\n" % (ts(t), rng.choice(workers), sample.replace("\n", " "))


out = sys.stdout
written = 0
t = 0
buf = []
while written < size:
    t += rng.randrange(1, 40)
    r = rng.random()
    if r < 0.01:
        line = error(t)
    elif r < 0.62:
        status = 404 if rng.random() < 0.02 else 200
        p = rng.choice(paths)
        if "%d" in p:
            p = p % rng.randrange(100000)
        line = '10.0.%d.%d - - [%s] "GET %s HTTP/1.1" %d %d "-" %s\n' % (
            rng.randrange(256), rng.randrange(256), clf(t), p, status, rng.randrange(100, 90000), rng.choice(agents))
    elif r < 0.90:
        line = "%s INFO [%s] cart updated user=u_%d items=%d request_id=%032x\n" % (
            ts(t), rng.choice(workers), rng.randrange(10**6), rng.randrange(1, 9), rng.getrandbits(128))
    else:
        call = rng.choice(ok_calls)
        line = "%s INFO [%s] %s\n" % (ts(t), rng.choice(workers), call % rng.randrange(10**6))
    buf.append(line)
    written += len(line)
    if len(buf) >= 4096:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))

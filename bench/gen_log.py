#!/usr/bin/env python3
"""Write a deterministic, realistic log of about SIZE bytes to stdout (Python 3.11+ stdlib only).

The same MIX, SIZE and SEED give the same bytes on every run; a smaller SIZE with the same seed
gives a prefix of the larger log (whole lines), so a 256 MiB log is the start of the 1 GiB one.

Mixes:
  app      ordinary web traffic (nginx access lines, application INFO lines, one line in ten a
           successful payment call) with about 1 % payment errors of many shapes and providers:
           every rich knowledge-base sample (JSON bodies, SDK exceptions, plugin lines), some
           pretty-printed over several lines, some followed by a stack trace. The default; used
           by company.sh and redaction.sh.
  success  a success-dense e-commerce container log (WooCommerce / Magento plugins behind nginx
           and php-fpm): one line in four a successful provider call (`Payment APPROVED for
           WooCommerce Order #...`, Stripe / PayPal / Adyen / Checkout.com / Braintree calls with
           their ids, amounts, and full success bodies that carry `"failure_code":null`-style
           fields), ordinary nginx, WordPress and PHP lines (non-payment warnings included), and
           about 1 % payment errors in the shapes of the `app` mix.
  json     a JSON-lines service log: one object per line (ts, level, logger, msg, http.method /
           url / status_code, duration_ms, request_id, trace_id, span_id ...), mostly ordinary
           requests and successful provider calls, about 1 % provider errors whose body is
           embedded as a string field or as an object field.
  errors   an incident log: every line is a provider error, of 12 kinds, each line with its own
           timestamp, request id, order id, amount and provider object ids.

usage: gen_log.py [--mix app|success|json|errors] SIZE_BYTES [SEED] > app.log
"""
import argparse
import glob
import json
import os
import random
import re
import sys
import tomllib

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--mix", default="app", choices=["app", "success", "json", "errors"])
ap.add_argument("size", type=int, help="bytes to write (the last line may pass it)")
ap.add_argument("seed", type=int, nargs="?", default=1)
args = ap.parse_args()

size = args.size
rng = random.Random(args.seed)
here = os.path.dirname(os.path.abspath(__file__))


def kb_samples():
    """Every rich knowledge-base sample that reads as a pasted error (not `provider:code`), and
    beside each (provider id, production base URL, the entry's HTTP statuses)."""
    out, meta = [], []
    for path in sorted(glob.glob(os.path.join(here, "..", "knowledge", "*.toml"))):
        with open(path, "rb") as f:
            kb = tomllib.load(f)
        prov = kb.get("provider", {})
        envs = prov.get("environments", [])
        base = next((e.get("base_url") for e in envs if e.get("env") == "production" and e.get("base_url")),
                    envs[0].get("base_url") if envs else None) or "https://api.%s.com" % prov.get("id", "psp")
        for e in kb.get("error", []):
            for s in e.get("samples", []):
                if ":" not in s.split(" ")[0] or "{" in s:
                    out.append(s)
                    meta.append((prov.get("id", "unknown"), re.sub(r"\{[^}]*\}", "shop1", base.rstrip("/")),
                                 e.get("status") or [400, 500]))
    return out, meta


samples, sample_meta = kb_samples()
workers = ["worker-%d" % i for i in range(8)]
EPOCH = 1714521600  # 2024-05-01T00:00:00Z


def ts(t):
    ms = t % 1000
    s = t // 1000
    return "2024-05-%02dT%02d:%02d:%02d.%03dZ" % (1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60, ms)


def ts_offset(t):
    s = t // 1000
    return "2024-05-%02dT%02d:%02d:%02d+00:00" % (1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60)


def ts_magento(t):
    s = t // 1000
    return "[2024-05-%02dT%02d:%02d:%02d.%06d+00:00]" % (
        1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60, (t % 1000) * 1000 + rng.randrange(1000))


def clf(t):
    s = t // 1000
    return "%02d/May/2024:%02d:%02d:%02d +0000" % (1 + s // 86400 % 28, s // 3600 % 24, s // 60 % 60, s % 60)


ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rid(n, alphabet=ALNUM):
    return "".join(alphabet[rng.randrange(len(alphabet))] for _ in range(n))


def hexid(bits):
    return "%0*x" % (bits // 4, rng.getrandbits(bits))


def uuid():
    h = hexid(128)
    return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], h[16:20], h[20:32])


def money():
    """(cents, 'xx.yy') with a shop-like distribution of basket sizes."""
    cents = rng.choice([499, 999, 1299, 1999, 2499, 4999, 7999, 12999]) + rng.randrange(0, 5000, 100)
    return cents, "%d.%02d" % (cents // 100, cents % 100)


def ip():
    return "%d.%d.%d.%d" % (rng.choice([10, 172, 192, 81, 93, 185]), rng.randrange(256), rng.randrange(256),
                            rng.randrange(1, 255))


# -- the app mix (unchanged: the same bytes as before for the same size and seed) --------------

app_paths = ["/", "/products/%d", "/cart", "/checkout", "/api/orders/%d", "/static/app.%d.js", "/images/p%d.jpg"]
agents = ['"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0"', '"curl/8.5.0"', '"kube-probe/1.30"']
app_ok_calls = [
    "POST https://api.stripe.com/v1/payment_intents 200 in %dms",
    "Stripe charge succeeded ch_3Nx%06d amount=1299 currency=usd",
    "POST https://api-m.paypal.com/v2/checkout/orders 201 in %dms",
    "Adyen /payments resultCode=Authorised pspReference=88%014d",
    "Checkout.com payment pay_%026d status=Authorized",
    "Mercado Pago payment %d status=approved status_detail=accredited",
    "Afterpay order token: 001.%020d",
    "Payment APPROVED for WooCommerce Order #%d",
]


def error(t):
    """One payment error from a knowledge-base sample: a plain line, pretty JSON or a trace."""
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


def app_line(t):
    r = rng.random()
    if r < 0.01:
        return error(t)
    if r < 0.62:
        status = 404 if rng.random() < 0.02 else 200
        p = rng.choice(app_paths)
        if "%d" in p:
            p = p % rng.randrange(100000)
        return '10.0.%d.%d - - [%s] "GET %s HTTP/1.1" %d %d "-" %s\n' % (
            rng.randrange(256), rng.randrange(256), clf(t), p, status, rng.randrange(100, 90000), rng.choice(agents))
    if r < 0.90:
        return "%s INFO [%s] cart updated user=u_%d items=%d request_id=%032x\n" % (
            ts(t), rng.choice(workers), rng.randrange(10**6), rng.randrange(1, 9), rng.getrandbits(128))
    call = rng.choice(app_ok_calls)
    return "%s INFO [%s] %s\n" % (ts(t), rng.choice(workers), call % rng.randrange(10**6))


# -- the success mix ----------------------------------------------------------------------------

shop_paths = [
    ("GET", "/product/%s/"), ("GET", "/product-category/%s/"), ("GET", "/cart/"), ("GET", "/checkout/"),
    ("POST", "/?wc-ajax=update_order_review"), ("POST", "/?wc-ajax=checkout"), ("POST", "/?wc-ajax=add_to_cart"),
    ("GET", "/?wc-ajax=get_refreshed_fragments"), ("POST", "/wp-admin/admin-ajax.php"), ("GET", "/my-account/orders/"),
    ("GET", "/wp-content/themes/storefront/assets/css/base/icons.css?ver=4.5.%d"), ("GET", "/wp-json/wc/store/v1/cart"),
    ("POST", "/wc-api/wc_stripe/?wc-api=wc_stripe"), ("POST", "/?wc-api=WC_Gateway_Paypal"),
    ("GET", "/wp-content/uploads/2024/04/%s-300x300.jpg"), ("GET", "/checkout/order-received/%d/?key=wc_order_%s"),
    ("GET", "/static/version1714/frontend/Magento/luma/en_US/mage/calendar.min.js"), ("POST", "/rest/default/V1/carts/mine/payment-information"),
]
slugs = ["linen-shirt", "canvas-tote", "espresso-cup", "trail-runner-2", "wool-beanie", "desk-lamp", "yoga-mat",
         "gift-card", "leather-wallet", "rain-jacket"]
browsers = [
    '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"',
    '"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"',
    '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15"',
    '"WordPress/6.5.2; https://shop.example.com"', '"Googlebot/2.1 (+http://www.google.com/bot.html)"',
]
STRIPE_UA = '"Stripe/1.0 (+https://stripe.com/docs/webhooks)"'
PAYPAL_UA = '"PayPal IPN ( https://www.paypal.com/ipn )"'
currencies = ["usd", "eur", "gbp", "cad", "aud"]


def nginx_shop(t):
    method, p = rng.choice(shop_paths)
    if "order-received" in p:
        p = p % (rng.randrange(10000, 99999), rid(13))
    elif "%s" in p:
        p = p % rng.choice(slugs)
    elif "%d" in p:
        p = p % rng.randrange(10)
    r = rng.random()
    status = 200 if r < 0.9 else (302 if r < 0.95 else (304 if r < 0.98 else rng.choice([404, 404, 499, 502])))
    # the payment webhooks come from the providers, the rest from browsers, bots and WP cron
    ua = STRIPE_UA if "wc_stripe" in p else PAYPAL_UA if "WC_Gateway_Paypal" in p else rng.choice(browsers)
    return '%s - - [%s] "%s %s HTTP/2.0" %d %d "https://shop.example.com/" %s rt=%.3f\n' % (
        ip(), clf(t), method, p, status, rng.randrange(200, 120000), ua, rng.random() * 0.8)


def wp_ordinary(t):
    r = rng.random()
    order = rng.randrange(10000, 99999)
    if r < 0.25:
        return "%s INFO Order #%d status changed from pending to processing. user=%d\n" % (
            ts_offset(t), order, rng.randrange(1, 50000))
    if r < 0.40:
        return "%s INFO Scheduled action %d (woocommerce_cleanup_draft_orders) complete in %.3fs\n" % (
            ts_offset(t), rng.randrange(10**6), rng.random())
    if r < 0.50:
        return "%s main.INFO: Cache cleaned: full_page config layout block_html [] []\n" % ts_magento(t)
    if r < 0.60:
        return "%s main.DEBUG: cart %d: item added sku=%s-%d qty=%d [] []\n" % (
            ts_magento(t), rng.randrange(10**6), rng.choice(slugs).upper(), rng.randrange(100), rng.randrange(1, 4))
    if r < 0.68:
        return "[%s] PHP Deprecated:  Creation of dynamic property WC_Product_Simple::$_cached_price is deprecated in " \
               "/var/www/html/wp-content/plugins/woo-discount-rules/src/Helpers.php on line %d\n" % (
                   ts_offset(t)[:19].replace("T", " "), rng.randrange(100, 900))
    if r < 0.74:
        return "%s WARNING Mailer: wp_mail failed for order #%d (SMTP connect() failed), will retry\n" % (
            ts_offset(t), order)
    if r < 0.78:
        return "[%s] WordPress database error Deadlock found when trying to get lock; try restarting transaction " \
               "for query UPDATE wp_options SET option_value = '%d' WHERE option_name = '_transient_timeout_wc_count_comments'\n" % (
                   ts_offset(t)[:19].replace("T", " "), EPOCH + t // 1000)
    if r < 0.84:
        return "%s NOTICE php-fpm[%d]: [pool www] child %d exited with code 0 after %.6f seconds from start\n" % (
            ts_offset(t), rng.randrange(100, 999), rng.randrange(1000, 60000), rng.random() * 900)
    if r < 0.92:
        return "%s INFO Stock levels reduced: %s (%s-%d) %d->%d\n" % (
            ts_offset(t), rng.choice(slugs), rng.choice(slugs).upper(), rng.randrange(100), rng.randrange(5, 50),
            rng.randrange(0, 5))
    return "%s INFO Email sent: customer_processing_order to %s@example.com for order #%d\n" % (
        ts_offset(t), rid(8, "abcdefghijklmnopqrstuvwxyz"), order)


def stripe_charge_body(cents, cur, order):
    """A successful charge object as the WooCommerce Stripe gateway logs it (null failure fields)."""
    return ('{"id":"ch_3P%s","object":"charge","amount":%d,"amount_captured":%d,"balance_transaction":"txn_3P%s",'
            '"captured":true,"currency":"%s","failure_code":null,"failure_message":null,"fraud_details":{},'
            '"metadata":{"order_id":"%d","site_url":"https://shop.example.com"},"outcome":{"network_status":'
            '"approved_by_network","reason":null,"risk_level":"normal","risk_score":%d,"seller_message":'
            '"Payment complete.","type":"authorized"},"paid":true,"payment_intent":"pi_3P%s","payment_method":'
            '"pm_1P%s","payment_method_details":{"card":{"brand":"visa","checks":{"address_line1_check":null,'
            '"address_postal_code_check":"pass","cvc_check":"pass"},"exp_month":%d,"exp_year":%d,"last4":"%04d",'
            '"network":"visa","three_d_secure":null}},"status":"succeeded"}' % (
                rid(22), cents, cents, rid(22), cur, order, rng.randrange(0, 60), rid(22), rid(22),
                rng.randrange(1, 13), rng.randrange(2025, 2031), rng.randrange(10000)))


def shop_success(t):
    order = rng.randrange(10000, 99999)
    cents, amt = money()
    cur = rng.choice(currencies)
    r = rng.random()
    w = ts_offset(t)
    if r < 0.22:
        via = rng.choice(["", "", " (Afterpay Order #1000%08d)" % rng.randrange(10**8),
                          " (Transaction ID: %s)" % rid(17, UPPER)])
        return "%s INFO Payment APPROVED for WooCommerce Order #%d%s.\n" % (w, order, via)
    if r < 0.36:
        return "%s INFO WC_Stripe: Stripe charge succeeded ch_3P%s amount=%d currency=%s order=#%d\n" % (
            w, rid(22), cents, cur, order)
    if r < 0.44:
        return "%s DEBUG ====Stripe Version: 8.2.0==== Processing response: %s\n" % (
            w, stripe_charge_body(cents, cur, order))
    if r < 0.52:
        return "%s INFO Stripe payment intent pi_3P%s succeeded for order #%d (%s %s) request_id=req_%s\n" % (
            w, rid(22), order, amt, cur.upper(), rid(14))
    if r < 0.62:
        return "%s INFO PayPal Payments: Order %s captured, status=COMPLETED, capture %s amount=%s %s paypal-debug-id=%s\n" % (
            w, rid(17, UPPER), rid(17, UPPER), amt, cur.upper(), hexid(52))
    if r < 0.70:
        return ("%s main.INFO: Adyen notification received {\"eventCode\":\"AUTHORISATION\",\"success\":\"true\","
                "\"pspReference\":\"%s\",\"merchantReference\":\"%09d\",\"amount\":{\"value\":%d,\"currency\":\"%s\"},"
                "\"reason\":\"%06d:%04d:%02d/%d\"} []\n" % (
                    ts_magento(t), rid(16, UPPER), order, cents, cur.upper(), rng.randrange(10**6),
                    rng.randrange(10000), rng.randrange(1, 13), rng.randrange(2025, 2031)))
    if r < 0.78:
        return ("%s main.INFO: Checkout.com payment pay_%s approved: {\"action_id\":\"act_%s\",\"amount\":%d,"
                "\"currency\":\"%s\",\"approved\":true,\"status\":\"Authorized\",\"auth_code\":\"%06d\","
                "\"response_code\":\"10000\",\"response_summary\":\"Approved\",\"reference\":\"%d\"} []\n" % (
                    ts_magento(t), rid(26, UPPER).lower(), rid(26, UPPER).lower(), cents, cur.upper(),
                    rng.randrange(10**6), order))
    if r < 0.85:
        return ("%s main.INFO: Braintree transaction %s submitted_for_settlement amount=%s processorResponseCode=1000 "
                "processorResponseText=Approved order=%d [] []\n" % (ts_magento(t), rid(8, "abcdefghijklmnopqrstuvwxyz0123456789"),
                                                                   amt, order))
    if r < 0.92:
        return '%s - - [%s] "POST /?wc-api=wc_stripe HTTP/1.1" 200 %d "-" %s evt_1P%s payment_intent.succeeded\n' % (
            ip(), clf(t), rng.randrange(2, 60), STRIPE_UA, rid(22))
    return "%s INFO Order #%d payment complete via %s (%s %s), transaction %s\n" % (
        w, order, rng.choice(["Stripe", "PayPal", "Adyen", "Checkout.com", "Mollie"]), amt, cur.upper(),
        rid(16, UPPER))


def success_line(t):
    r = rng.random()
    if r < 0.01:
        return error(t)
    if r < 0.26:
        return shop_success(t)
    if r < 0.71:
        return nginx_shop(t)
    return wp_ordinary(t)


# -- the json mix -------------------------------------------------------------------------------

svc_routes = [("GET", "/api/v2/catalog/items", 200), ("GET", "/api/v2/cart", 200), ("POST", "/api/v2/cart/items", 201),
              ("GET", "/api/v2/orders/%d", 200), ("POST", "/api/v2/checkout", 200), ("GET", "/healthz", 200),
              ("GET", "/api/v2/customers/me", 200), ("PATCH", "/api/v2/cart/items/%d", 200),
              ("POST", "/webhooks/stripe", 200)]
ok_provider_calls = [
    ("stripe", "POST", "https://api.stripe.com/v1/payment_intents", 200, '"payment_intent":"pi_3P%s","status":"succeeded"'),
    ("stripe", "POST", "https://api.stripe.com/v1/payment_intents/pi_3P%s/confirm", 200, '"status":"succeeded","last_payment_error":null'),
    ("stripe", "GET", "https://api.stripe.com/v1/customers/cus_%s", 200, '"customer":"cus_%s"'),
    ("paypal", "POST", "https://api-m.paypal.com/v2/checkout/orders", 201, '"paypal_order_id":"%s","status":"CREATED"'),
    ("paypal", "POST", "https://api-m.paypal.com/v2/checkout/orders/%s/capture", 201, '"status":"COMPLETED"'),
    ("adyen", "POST", "https://checkout-test.adyen.com/v71/payments", 200, '"resultCode":"Authorised","pspReference":"%s"'),
    ("checkout", "POST", "https://api.checkout.com/payments", 201, '"payment_id":"pay_%s","status":"Authorized","response_code":"10000"'),
    ("braintree", "POST", "https://payments.braintree-api.com/graphql", 200, '"transaction_status":"SUBMITTED_FOR_SETTLEMENT","errors":[]'),
]
pods = {"checkout-api": ["checkout-api-7d9f8b6c5-x2k4q", "checkout-api-7d9f8b6c5-p8m2z"],
        "payments-worker": ["payments-worker-5c6d7e8f9-abcde", "payments-worker-5c6d7e8f9-q7w2n"],
        "orders-api": ["orders-api-64b7c9d8f-lm3vz"]}
services = sorted(pods)


def json_obj_prefix(t, level, logger):
    service = rng.choice(services)
    return '{"ts":"%s","level":"%s","service":"%s","host":"%s","logger":"%s",' % (
        ts(t), level, service, rng.choice(pods[service]), logger)


def trace():
    return '"request_id":"%s","trace_id":"%s","span_id":"%s"' % (uuid(), hexid(128), hexid(64))


def fill(s):
    while "%s" in s:
        s = s.replace("%s", rid(24), 1)
    return s


def json_error(t):
    i = rng.randrange(len(samples))
    sample = samples[i]
    provider, base, statuses = sample_meta[i]
    status = rng.choice(statuses)
    dur = rng.randrange(40, 30000)
    head = json_obj_prefix(t, "error", "payments.client")
    http = '"provider":"%s","http":{"method":"POST","url":"%s%s","status_code":%d},"duration_ms":%d,' % (
        provider, base, rng.choice(["/payments", "/v1/charges", "/v2/checkout/orders", "/orders"]), status, dur)
    shape = rng.random()
    obj = None
    if sample.startswith("{"):
        try:
            obj = json.loads(sample)
        except ValueError:
            obj = None
    if obj is not None and shape < 0.5:
        body = '"error":%s' % json.dumps(obj, separators=(",", ":"))
    elif shape < 0.8:
        body = '"error":%s' % json.dumps(sample)
    else:
        body = '"error":{"kind":"ProviderError","message":%s,"stack":%s}' % (
            json.dumps(sample), json.dumps("at PaymentClient.charge (/app/src/payments/client.ts:%d:17)\n"
                                           "    at processTicksAndRejections (node:internal/process/task_queues:95:5)"
                                           % rng.randrange(40, 400)))
    return '%s"msg":"payment provider call failed",%s%s,"order_id":"ord_%s",%s}\n' % (head, http, body, rid(12), trace())


def json_line(t):
    r = rng.random()
    if r < 0.01:
        return json_error(t)
    if r < 0.30:
        provider, method, url, status, extra = rng.choice(ok_provider_calls)
        cents, _ = money()
        return '%s"msg":"provider call ok","provider":"%s","http":{"method":"%s","url":"%s","status_code":%d},' \
               '"duration_ms":%d,"amount":%d,"currency":"%s",%s,"order_id":"ord_%s",%s}\n' % (
                   json_obj_prefix(t, "info", "payments.client"), provider, method, fill(url), status,
                   rng.randrange(80, 1800), cents, rng.choice(currencies), fill(extra), rid(12), trace())
    if r < 0.85:
        method, route, status = rng.choice(svc_routes)
        if "%d" in route:
            route = route % rng.randrange(10**6)
        if rng.random() < 0.03:
            status = rng.choice([400, 401, 404, 409, 499])
        return '%s"msg":"request completed","http":{"method":"%s","url":"%s","status_code":%d,"user_agent":%s,' \
               '"client_ip":"%s"},"duration_ms":%.1f,%s}\n' % (
                   json_obj_prefix(t, "info", "http.access"), method, route, status,
                   STRIPE_UA if "stripe" in route else rng.choice(browsers),
                   ip(), rng.random() * 250, trace())
    if r < 0.93:
        return '%s"msg":"db query","db":{"system":"postgresql","statement":"SELECT * FROM carts WHERE id = $1",' \
               '"rows":%d},"duration_ms":%.2f,%s}\n' % (
                   json_obj_prefix(t, "debug", "db.pool"), rng.randrange(0, 3), rng.random() * 20, trace())
    if r < 0.97:
        return '%s"msg":"order state changed","order_id":"ord_%s","from":"pending","to":"paid",%s}\n' % (
            json_obj_prefix(t, "info", "orders.state"), rid(12), trace())
    return '%s"msg":"cache miss, refreshing","cache":"catalog","key":"items:%d","error":null,%s}\n' % (
        json_obj_prefix(t, "warn", "cache"), rng.randrange(10**5), trace())


# -- the errors mix: 12 kinds, every line an error with its own ids --------------------------------

def e_stripe_insufficient():
    return ('Stripe API error: {"error":{"charge":"ch_3P%s","code":"card_declined","decline_code":"insufficient_funds",'
            '"doc_url":"https://stripe.com/docs/error-codes/card-declined","message":"Your card has insufficient funds.",'
            '"payment_intent":{"id":"pi_3P%s"},"request_log_url":"https://dashboard.stripe.com/logs/req_%s?t=%d",'
            '"type":"card_error"}}' % (rid(22), rid(22), rid(14), EPOCH + rng.randrange(10**6)))


def e_stripe_rate():
    return ("Stripe\\Exception\\RateLimitException: Request req_%s: Request rate limit exceeded. You can learn more "
            "about rate limits here https://stripe.com/docs/rate-limits." % rid(14))


def e_stripe_auth():
    return ("Stripe\\Exception\\AuthenticationException: Request req_%s: Expired API Key provided: sk_live_*********"
            "**************%s" % (rid(14), rid(4)))


def e_paypal_declined():
    return ('PayPal capture failed for order %s: {"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"INSTRUMENT_DECLINED",'
            '"description":"The instrument presented  was either declined by the processor or bank, or it can\'t be used '
            'for this payment."}],"message":"The requested action could not be performed, semantically incorrect, or the '
            'business validation failed.","debug_id":"%s","links":[{"href":"https://developer.paypal.com/docs/api/orders/'
            'v2/#error-INSTRUMENT_DECLINED","rel":"information_link","method":"GET"}]}' % (rid(17, UPPER), hexid(52)))


def e_paypal_token():
    return ('POST https://api-m.paypal.com/v2/checkout/orders/%s/capture -> 401 {"error":"invalid_token",'
            '"error_description":"Access Token not found in cache"}' % rid(17, UPPER))


def e_adyen_refused():
    cents, _ = money()
    return ('Adyen payment refused: {"pspReference":"%s","resultCode":"Refused","refusalReason":"Not enough balance",'
            '"refusalReasonCode":"12","merchantReference":"order-%d","amount":{"currency":"EUR","value":%d}}' % (
                rid(16, UPPER), rng.randrange(10**6), cents))


def e_checkout_declined():
    cents, _ = money()
    return ('Checkout.com payment declined: {"id":"pay_%s","action_id":"act_%s","amount":%d,"currency":"GBP",'
            '"approved":false,"status":"Declined","response_code":"20051","response_summary":"Insufficient Funds",'
            '"reference":"ORD-%d"}' % (rid(26, UPPER).lower(), rid(26, UPPER).lower(), cents, rng.randrange(10**6)))


def e_braintree_declined():
    _, amt = money()
    return ("Braintree transaction %s failed: status=processor_declined processorResponseCode=2001 "
            "processorResponseText=Insufficient Funds amount=%s" % (rid(8, "abcdefghijklmnopqrstuvwxyz0123456789"), amt))


def e_square_declined():
    cents, _ = money()
    return ('Square\\Exceptions\\ApiException: [HTTP/1.1 400 Bad Request] {"errors":[{"code":"GENERIC_DECLINE","detail":'
            '"Authorization error: \'GENERIC_DECLINE\'","category":"PAYMENT_METHOD_ERROR"}],"payment":{"id":"%s",'
            '"amount_money":{"amount":%d,"currency":"USD"},"status":"FAILED","order_id":"%s"}}' % (
                rid(22), cents, rid(24)))


def e_authnet_declined():
    return ('Authorize.Net createTransaction failed: {"transactionResponse":{"responseCode":"2","authCode":"",'
            '"transId":"%d","errors":[{"errorCode":"2","errorText":"This transaction has been declined."}]},'
            '"refId":"%d","messages":{"resultCode":"Error","message":[{"code":"E00027","text":"The transaction was '
            'unsuccessful."}]}}' % (rng.randrange(10**10, 10**11), rng.randrange(10**6)))


def e_curl_timeout():
    return ("cURL error 28: Operation timed out after %d milliseconds with 0 bytes received (see "
            "https://curl.haxx.se/libcurl/c/libcurl-errors.html) for https://api.stripe.com/v1/payment_intents/pi_3P%s/confirm" % (
                30000 + rng.randrange(5), rid(22)))


def e_mercadopago_rejected():
    cents, amt = money()
    return ('MercadoPago payment rejected: {"id":%d,"status":"rejected","status_detail":"cc_rejected_insufficient_amount",'
            '"payment_method_id":"master","transaction_amount":%s,"external_reference":"%d"}' % (
                rng.randrange(10**10, 10**11), amt, rng.randrange(10**6)))


error_kinds = [e_stripe_insufficient, e_stripe_rate, e_stripe_auth, e_paypal_declined, e_paypal_token, e_adyen_refused,
               e_checkout_declined, e_braintree_declined, e_square_declined, e_authnet_declined, e_curl_timeout,
               e_mercadopago_rejected]
# an incident is lopsided: a few kinds make most of the lines
error_weights = [30, 14, 4, 10, 3, 8, 8, 6, 5, 4, 6, 2]


def errors_line(t):
    kind = rng.choices(error_kinds, weights=error_weights)[0]
    _, amt = money()
    return "%s ERROR [%s] payment failed order_id=%d amount=%s request_id=%s: %s\n" % (
        ts(t), rng.choice(workers), rng.randrange(10**6), amt, uuid(), kind())


# -- main ---------------------------------------------------------------------------------------

gen, step = {"app": (app_line, 40), "success": (success_line, 40), "json": (json_line, 30),
             "errors": (errors_line, 6)}[args.mix]
out = sys.stdout.buffer
written = 0
t = 0
buf = []
while written < size:
    t += rng.randrange(1, step)
    line = gen(t)
    buf.append(line)
    written += len(line)
    if len(buf) >= 4096:
        out.write("".join(buf).encode())
        buf = []
out.write("".join(buf).encode())

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_paydoctor_global_optspecs
    string join \n color= kb= h/help V/version
end

function __fish_paydoctor_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_paydoctor_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_paydoctor_using_subcommand
    set -l cmd (__fish_paydoctor_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c paydoctor -n "__fish_paydoctor_needs_command" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_needs_command" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_needs_command" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -s V -l version -d 'Print version'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "explain" -d 'Explain an error: status and code tokens, or a pasted body, exception or log line'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "list" -d 'List the providers, or one provider\'s entries with their titles and categories'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "show" -d 'Show one entry in full: causes, fixes, docs, samples, and where it came from'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "search" -d 'Search titles, messages, causes, fixes and codes (typos allowed)'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "scan" -d 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "probe" -d 'Live, read-only checks of credentials, OAuth token and environment against the provider'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "webhook" -d 'Verify a webhook\'s signature offline and, when it fails, prove why'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "kb" -d 'Knowledge base tools for authors: validate files, coverage figures'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "config" -d 'Where paydoctor looks for its config and company knowledge; validate the config file'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL to stdout'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c paydoctor -n "__fish_paydoctor_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -s p -l provider -d 'Only consider this provider (id or alias, e.g. checkout, cko, stripe)' -r -f -a "(paydoctor list --ids 2>/dev/null)"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -s n -l limit -d 'How many matches to show at most' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l env -d 'The environment the credentials are meant for' -r -f -a "sandbox\t''
production\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l base-url -d 'Probe this base URL instead of the documented one (https://, or http:// to loopback)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l profile -d 'Use a named profile from the config file (provider, environment, base URL, credential sources)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l secret-key-file -d 'Read the secret key from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l client-id-file -d 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l client-secret-file -d 'Read the OAuth client secret from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l access-token-file -d 'Read a stored access token from this file (checked for still being accepted)' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l merchant-id-file -d 'Read the merchant id some providers want beside a key (Cybersource) from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l timeout -d 'Seconds to wait for a whole request' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l ca-file -d 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system\'s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l json -d 'Print one JSON object ({"matches": [...]}) instead of the report'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l probe -d 'Run the live probes relevant to the top causes and re-rank them by what they find'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -l force -d 'Send authenticated requests even when the credential and the host belong to different environments'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand explain" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l category -d 'Only entries of this category (without PROVIDER: of every provider)' -r -f -a "auth_invalid_key\t''
auth_expired_token\t''
auth_permission\t''
env_mismatch\t''
validation\t''
idempotency\t''
duplicate_or_state\t''
rate_limit\t''
decline\t''
not_found\t''
server_error\t''
network_tls\t''
webhook_signature\t''
configuration\t''
other\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l all-known -d 'Also list the providers recognised by name only (no knowledge file: an error naming one gets the general diagnosis of its category)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l ids -d 'Print only the provider ids, one per line (what shell completion offers)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -l json -d 'Print JSON'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand list" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand show" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand show" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand show" -l json -d 'Print the entry as one JSON object'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand show" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -s p -l provider -d 'Only search this provider (id or alias)' -r -f -a "(paydoctor list --ids 2>/dev/null)"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -s n -l limit -d 'How many results to show at most' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -l json -d 'Print JSON'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand search" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -s p -l provider -d 'Only report this provider (id or alias)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l category -d 'Only report this category (auth_invalid_key, rate_limit, decline...)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l min-count -d 'Only report groups and patterns seen at least this many times' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l since -d 'Only findings and patterns at or after this time (2024-05-01, 2024-05-01T10:00:00Z, 2h, "2 hours ago", today)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l until -d 'Only findings and patterns at or before this time (same forms as --since)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -s j -l threads -d 'Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l json -d 'Print one JSON object at the end ({"groups", "patterns", "summary"})'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -l ndjson -d 'Print one JSON object per line: each finding as it is read, then patterns and a summary'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -s f -l follow -d 'Keep reading a file as lines are appended (tail -F); findings are printed as they come. A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand scan" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -s p -l provider -d 'The provider to probe (id or alias); `paydoctor list` marks those with live probes' -r -f -a "(paydoctor list --ids 2>/dev/null)"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l only -d 'Run only these checks (comma-separated; default: all)' -r -f -a "env\t''
token\t''
credential\t''
rate\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l env -d 'The environment the credentials are meant for' -r -f -a "sandbox\t''
production\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l base-url -d 'Probe this base URL instead of the documented one (https://, or http:// to loopback)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l profile -d 'Use a named profile from the config file (provider, environment, base URL, credential sources)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l secret-key-file -d 'Read the secret key from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l client-id-file -d 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l client-secret-file -d 'Read the OAuth client secret from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l access-token-file -d 'Read a stored access token from this file (checked for still being accepted)' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l merchant-id-file -d 'Read the merchant id some providers want beside a key (Cybersource) from this file' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l timeout -d 'Seconds to wait for a whole request' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l ca-file -d 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system\'s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l json -d 'Print one JSON object instead of the checklist'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -l force -d 'Send authenticated requests even when the credential and the host belong to different environments'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand probe" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and not __fish_seen_subcommand_from verify help" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and not __fish_seen_subcommand_from verify help" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Verify a webhook request\'s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s p -l provider -d 'The provider (default: detected from the headers and body)' -r -f -a "stripe\t''
razorpay\t''
square\t''
checkout\t''
mercadopago\t''
braintree\t''
adyen\t''
mollie\t''
paypal\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l body -d 'The raw body, read byte for byte from this file; `-` or nothing reads a pipe' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s H -l header -d 'A request header, `Name: value` (repeatable)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l headers -d 'A file of `Name: value` lines, a curl -v or --trace-ascii dump, or a captured HTTP request (its body is used when --body is not given)' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l url -d 'The URL the provider called (Square signs it; Mercado Pago\'s data.id is in its query)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l secret-env -d 'Also try the secret(s) in this environment variable (comma-separated; repeatable)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l profile -d 'Take the provider, environment and `webhook_secret` from a config profile' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l tolerance -d 'Seconds a signed timestamp may be off (default: Stripe 300; Mercado Pago unchecked)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l at -d 'Judge the timestamp at this Unix time instead of now (a request captured earlier)' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l cert -d 'PayPal: the signing certificate (PEM or DER) from the request\'s PAYPAL-CERT-URL' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l env -d 'With --online: the environment the webhook and app belong to' -r -f -a "sandbox\t''
production\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l base-url -d 'With --online: PayPal\'s API at this base URL instead of the documented one' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l online -d 'PayPal: ask PayPal\'s verify-webhook-signature endpoint (read-only), with the app\'s client id and secret (PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET or --profile)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l json -d 'Print one JSON object (schema_version 1) instead of the report'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify a webhook request\'s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -f -a "check" -d 'Validate knowledge files and round-trip every sample through the matcher'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -f -a "stats" -d 'Entries per provider and, with --catalog, the share of each catalog covered'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -f -a "codes" -d 'The knowledge base\'s distinctive codes, one per line (a fixed-string list for grep)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and not __fish_seen_subcommand_from check stats codes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from check" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from check" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from check" -l standalone -d 'Check DIR as a whole knowledge base on its own, as `PAYDOCTOR_KB_DIR=DIR cargo build` would embed it, instead of merged over the embedded knowledge'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -l catalog -d 'A folder of `<provider>.tsv` catalogs (code, http_status, kind, ...)' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -l min-coverage -d 'Exit 1 when a catalog\'s coverage is below this percentage' -r
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -l json -d 'Print JSON'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from codes" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from codes" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from codes" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate knowledge files and round-trip every sample through the matcher'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Entries per provider and, with --catalog, the share of each catalog covered'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from help" -f -a "codes" -d 'The knowledge base\'s distinctive codes, one per line (a fixed-string list for grep)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand kb; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -f -a "path" -d 'Show every path paydoctor reads and which rule chose it'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -f -a "check" -d 'Validate the config file\'s profiles (providers, environments, credential sources)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and not __fish_seen_subcommand_from path check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from path" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from check" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from check" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Show every path paydoctor reads and which rule chose it'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate the config file\'s profiles (providers, environments, credential sources)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand completions" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand completions" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand completions" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand man" -l color -d 'When to use colors: auto honours NO_COLOR and colors only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c paydoctor -n "__fish_paydoctor_using_subcommand man" -l kb -d 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first' -r -F
complete -c paydoctor -n "__fish_paydoctor_using_subcommand man" -s h -l help -d 'Print help'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "explain" -d 'Explain an error: status and code tokens, or a pasted body, exception or log line'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "list" -d 'List the providers, or one provider\'s entries with their titles and categories'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "show" -d 'Show one entry in full: causes, fixes, docs, samples, and where it came from'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "search" -d 'Search titles, messages, causes, fixes and codes (typos allowed)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "scan" -d 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "probe" -d 'Live, read-only checks of credentials, OAuth token and environment against the provider'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "webhook" -d 'Verify a webhook\'s signature offline and, when it fails, prove why'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "kb" -d 'Knowledge base tools for authors: validate files, coverage figures'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "config" -d 'Where paydoctor looks for its config and company knowledge; validate the config file'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "completions" -d 'Print the shell completion script for SHELL to stdout'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and not __fish_seen_subcommand_from explain list show search scan probe webhook kb config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "verify" -d 'Verify a webhook request\'s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from kb" -f -a "check" -d 'Validate knowledge files and round-trip every sample through the matcher'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from kb" -f -a "stats" -d 'Entries per provider and, with --catalog, the share of each catalog covered'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from kb" -f -a "codes" -d 'The knowledge base\'s distinctive codes, one per line (a fixed-string list for grep)'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Show every path paydoctor reads and which rule chose it'
complete -c paydoctor -n "__fish_paydoctor_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate the config file\'s profiles (providers, environments, credential sources)'

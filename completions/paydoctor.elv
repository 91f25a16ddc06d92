
use builtin;
use str;

set edit:completion:arg-completer[paydoctor] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'paydoctor'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'paydoctor'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand explain 'Explain an error: status and code tokens, or a pasted body, exception or log line'
            cand list 'List the providers, or one provider''s entries with their titles and categories'
            cand show 'Show one entry in full: causes, fixes, docs, samples, and where it came from'
            cand search 'Search titles, messages, causes, fixes and codes (typos allowed)'
            cand scan 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause'
            cand probe 'Live, read-only checks of credentials, OAuth token and environment against the provider'
            cand webhook 'Verify a webhook''s signature offline and, when it fails, prove why'
            cand kb 'Knowledge base tools for authors: validate files, coverage figures'
            cand config 'Where paydoctor looks for its config and company knowledge; validate the config file'
            cand completions 'Print the shell completion script for SHELL to stdout'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;explain'= {
            cand -p 'Only consider this provider (id or alias, e.g. checkout, cko, stripe)'
            cand --provider 'Only consider this provider (id or alias, e.g. checkout, cko, stripe)'
            cand -n 'How many matches to show at most'
            cand --limit 'How many matches to show at most'
            cand --env 'The environment the credentials are meant for'
            cand --base-url 'Probe this base URL instead of the documented one (https://, or http:// to loopback)'
            cand --profile 'Use a named profile from the config file (provider, environment, base URL, credential sources)'
            cand --secret-key-file 'Read the secret key from this file'
            cand --client-id-file 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file'
            cand --client-secret-file 'Read the OAuth client secret from this file'
            cand --access-token-file 'Read a stored access token from this file (checked for still being accepted)'
            cand --merchant-id-file 'Read the merchant id some providers want beside a key (Cybersource) from this file'
            cand --connect-timeout 'Seconds to wait for a connection'
            cand --timeout 'Seconds to wait for a whole request'
            cand --ca-file 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system''s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print one JSON object ({"matches": [...]}) instead of the report'
            cand --probe 'Run the live probes relevant to the top causes and re-rank them by what they find'
            cand --force 'Send authenticated requests even when the credential and the host belong to different environments'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;list'= {
            cand --category 'Only entries of this category (without PROVIDER: of every provider)'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --all-known 'Also list the providers recognised by name only (no knowledge file: an error naming one gets the general diagnosis of its category)'
            cand --ids 'Print only the provider ids, one per line (what shell completion offers)'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;show'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print the entry as one JSON object'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;search'= {
            cand -p 'Only search this provider (id or alias)'
            cand --provider 'Only search this provider (id or alias)'
            cand -n 'How many results to show at most'
            cand --limit 'How many results to show at most'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;scan'= {
            cand -p 'Only report this provider (id or alias)'
            cand --provider 'Only report this provider (id or alias)'
            cand --category 'Only report this category (auth_invalid_key, rate_limit, decline...)'
            cand --min-count 'Only report groups and patterns seen at least this many times'
            cand --since 'Only findings and patterns at or after this time (2024-05-01, 2024-05-01T10:00:00Z, 2h, "2 hours ago", today)'
            cand --until 'Only findings and patterns at or before this time (same forms as --since)'
            cand -j 'Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order)'
            cand --threads 'Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order)'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print one JSON object at the end ({"groups", "patterns", "summary"})'
            cand --ndjson 'Print one JSON object per line: each finding as it is read, then patterns and a summary'
            cand -f 'Keep reading a file as lines are appended (tail -F); findings are printed as they come. A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`)'
            cand --follow 'Keep reading a file as lines are appended (tail -F); findings are printed as they come. A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;probe'= {
            cand -p 'The provider to probe (id or alias); `paydoctor list` marks those with live probes'
            cand --provider 'The provider to probe (id or alias); `paydoctor list` marks those with live probes'
            cand --only 'Run only these checks (comma-separated; default: all)'
            cand --env 'The environment the credentials are meant for'
            cand --base-url 'Probe this base URL instead of the documented one (https://, or http:// to loopback)'
            cand --profile 'Use a named profile from the config file (provider, environment, base URL, credential sources)'
            cand --secret-key-file 'Read the secret key from this file'
            cand --client-id-file 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file'
            cand --client-secret-file 'Read the OAuth client secret from this file'
            cand --access-token-file 'Read a stored access token from this file (checked for still being accepted)'
            cand --merchant-id-file 'Read the merchant id some providers want beside a key (Cybersource) from this file'
            cand --connect-timeout 'Seconds to wait for a connection'
            cand --timeout 'Seconds to wait for a whole request'
            cand --ca-file 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system''s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print one JSON object instead of the checklist'
            cand --force 'Send authenticated requests even when the credential and the host belong to different environments'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;webhook'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
            cand verify 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;webhook;verify'= {
            cand -p 'The provider (default: detected from the headers and body)'
            cand --provider 'The provider (default: detected from the headers and body)'
            cand --body 'The raw body, read byte for byte from this file; `-` or nothing reads a pipe'
            cand -H 'A request header, `Name: value` (repeatable)'
            cand --header 'A request header, `Name: value` (repeatable)'
            cand --headers 'A file of `Name: value` lines, a curl -v or --trace-ascii dump, or a captured HTTP request (its body is used when --body is not given)'
            cand --url 'The URL the provider called (Square signs it; Mercado Pago''s data.id is in its query)'
            cand --secret-env 'Also try the secret(s) in this environment variable (comma-separated; repeatable)'
            cand --profile 'Take the provider, environment and `webhook_secret` from a config profile'
            cand --tolerance 'Seconds a signed timestamp may be off (default: Stripe 300; Mercado Pago unchecked)'
            cand --at 'Judge the timestamp at this Unix time instead of now (a request captured earlier)'
            cand --cert 'PayPal: the signing certificate (PEM or DER) from the request''s PAYPAL-CERT-URL'
            cand --env 'With --online: the environment the webhook and app belong to'
            cand --base-url 'With --online: PayPal''s API at this base URL instead of the documented one'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --online 'PayPal: ask PayPal''s verify-webhook-signature endpoint (read-only), with the app''s client id and secret (PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET or --profile)'
            cand --json 'Print one JSON object (schema_version 1) instead of the report'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;webhook;help'= {
            cand verify 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;webhook;help;verify'= {
        }
        &'paydoctor;webhook;help;help'= {
        }
        &'paydoctor;kb'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
            cand check 'Validate knowledge files and round-trip every sample through the matcher'
            cand stats 'Entries per provider and, with --catalog, the share of each catalog covered'
            cand codes 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;kb;check'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --standalone 'Check DIR as a whole knowledge base on its own, as `PAYDOCTOR_KB_DIR=DIR cargo build` would embed it, instead of merged over the embedded knowledge'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;kb;stats'= {
            cand --catalog 'A folder of `<provider>.tsv` catalogs (code, http_status, kind, ...)'
            cand --min-coverage 'Exit 1 when a catalog''s coverage is below this percentage'
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;kb;codes'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;kb;help'= {
            cand check 'Validate knowledge files and round-trip every sample through the matcher'
            cand stats 'Entries per provider and, with --catalog, the share of each catalog covered'
            cand codes 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;kb;help;check'= {
        }
        &'paydoctor;kb;help;stats'= {
        }
        &'paydoctor;kb;help;codes'= {
        }
        &'paydoctor;kb;help;help'= {
        }
        &'paydoctor;config'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
            cand path 'Show every path paydoctor reads and which rule chose it'
            cand check 'Validate the config file''s profiles (providers, environments, credential sources)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;config;path'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;config;check'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;config;help'= {
            cand path 'Show every path paydoctor reads and which rule chose it'
            cand check 'Validate the config file''s profiles (providers, environments, credential sources)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;config;help;path'= {
        }
        &'paydoctor;config;help;check'= {
        }
        &'paydoctor;config;help;help'= {
        }
        &'paydoctor;completions'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;man'= {
            cand --color 'When to use colors: auto honours NO_COLOR and colors only a terminal'
            cand --kb 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'paydoctor;help'= {
            cand explain 'Explain an error: status and code tokens, or a pasted body, exception or log line'
            cand list 'List the providers, or one provider''s entries with their titles and categories'
            cand show 'Show one entry in full: causes, fixes, docs, samples, and where it came from'
            cand search 'Search titles, messages, causes, fixes and codes (typos allowed)'
            cand scan 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause'
            cand probe 'Live, read-only checks of credentials, OAuth token and environment against the provider'
            cand webhook 'Verify a webhook''s signature offline and, when it fails, prove why'
            cand kb 'Knowledge base tools for authors: validate files, coverage figures'
            cand config 'Where paydoctor looks for its config and company knowledge; validate the config file'
            cand completions 'Print the shell completion script for SHELL to stdout'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paydoctor;help;explain'= {
        }
        &'paydoctor;help;list'= {
        }
        &'paydoctor;help;show'= {
        }
        &'paydoctor;help;search'= {
        }
        &'paydoctor;help;scan'= {
        }
        &'paydoctor;help;probe'= {
        }
        &'paydoctor;help;webhook'= {
            cand verify 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)'
        }
        &'paydoctor;help;webhook;verify'= {
        }
        &'paydoctor;help;kb'= {
            cand check 'Validate knowledge files and round-trip every sample through the matcher'
            cand stats 'Entries per provider and, with --catalog, the share of each catalog covered'
            cand codes 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)'
        }
        &'paydoctor;help;kb;check'= {
        }
        &'paydoctor;help;kb;stats'= {
        }
        &'paydoctor;help;kb;codes'= {
        }
        &'paydoctor;help;config'= {
            cand path 'Show every path paydoctor reads and which rule chose it'
            cand check 'Validate the config file''s profiles (providers, environments, credential sources)'
        }
        &'paydoctor;help;config;path'= {
        }
        &'paydoctor;help;config;check'= {
        }
        &'paydoctor;help;completions'= {
        }
        &'paydoctor;help;man'= {
        }
        &'paydoctor;help;help'= {
        }
    ]
    $completions[$command]
}

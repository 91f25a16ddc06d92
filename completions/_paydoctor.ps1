
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'paydoctor' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'paydoctor'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'paydoctor' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an error: status and code tokens, or a pasted body, exception or log line')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the providers, or one provider''s entries with their titles and categories')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one entry in full: causes, fixes, docs, samples, and where it came from')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search titles, messages, causes, fixes and codes (typos allowed)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Live, read-only checks of credentials, OAuth token and environment against the provider')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Verify a webhook''s signature offline and, when it fails, prove why')
            [CompletionResult]::new('kb', 'kb', [CompletionResultType]::ParameterValue, 'Knowledge base tools for authors: validate files, coverage figures')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Where paydoctor looks for its config and company knowledge; validate the config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;explain' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only consider this provider (id or alias, e.g. checkout, cko, stripe)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only consider this provider (id or alias, e.g. checkout, cko, stripe)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many matches to show at most')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many matches to show at most')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment the credentials are meant for')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Probe this base URL instead of the documented one (https://, or http:// to loopback)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use a named profile from the config file (provider, environment, base URL, credential sources)')
            [CompletionResult]::new('--secret-key-file', '--secret-key-file', [CompletionResultType]::ParameterName, 'Read the secret key from this file')
            [CompletionResult]::new('--client-id-file', '--client-id-file', [CompletionResultType]::ParameterName, 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file')
            [CompletionResult]::new('--client-secret-file', '--client-secret-file', [CompletionResultType]::ParameterName, 'Read the OAuth client secret from this file')
            [CompletionResult]::new('--access-token-file', '--access-token-file', [CompletionResultType]::ParameterName, 'Read a stored access token from this file (checked for still being accepted)')
            [CompletionResult]::new('--merchant-id-file', '--merchant-id-file', [CompletionResultType]::ParameterName, 'Read the merchant id some providers want beside a key (Cybersource) from this file')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a whole request')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system''s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object ({"matches": [...]}) instead of the report')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Run the live probes relevant to the top causes and re-rank them by what they find')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Send authenticated requests even when the credential and the host belong to different environments')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;list' {
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only entries of this category (without PROVIDER: of every provider)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--all-known', '--all-known', [CompletionResultType]::ParameterName, 'Also list the providers recognised by name only (no knowledge file: an error naming one gets the general diagnosis of its category)')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Print only the provider ids, one per line (what shell completion offers)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the entry as one JSON object')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;search' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only search this provider (id or alias)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only search this provider (id or alias)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many results to show at most')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many results to show at most')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;scan' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only report this provider (id or alias)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only report this provider (id or alias)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only report this category (auth_invalid_key, rate_limit, decline...)')
            [CompletionResult]::new('--min-count', '--min-count', [CompletionResultType]::ParameterName, 'Only report groups and patterns seen at least this many times')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only findings and patterns at or after this time (2024-05-01, 2024-05-01T10:00:00Z, 2h, "2 hours ago", today)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only findings and patterns at or before this time (same forms as --since)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads that read each buffer in parallel (default: one per CPU core; 1 reads in order)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object at the end ({"groups", "patterns", "summary"})')
            [CompletionResult]::new('--ndjson', '--ndjson', [CompletionResultType]::ParameterName, 'Print one JSON object per line: each finding as it is read, then patterns and a summary')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep reading a file as lines are appended (tail -F); findings are printed as they come. A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep reading a file as lines are appended (tail -F); findings are printed as they come. A pipe on stdin is always read as it comes (`journalctl -f | paydoctor scan -f`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;probe' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The provider to probe (id or alias); `paydoctor list` marks those with live probes')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider to probe (id or alias); `paydoctor list` marks those with live probes')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these checks (comma-separated; default: all)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment the credentials are meant for')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Probe this base URL instead of the documented one (https://, or http:// to loopback)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use a named profile from the config file (provider, environment, base URL, credential sources)')
            [CompletionResult]::new('--secret-key-file', '--secret-key-file', [CompletionResultType]::ParameterName, 'Read the secret key from this file')
            [CompletionResult]::new('--client-id-file', '--client-id-file', [CompletionResultType]::ParameterName, 'Read the client id (OAuth client id, or the account or merchant id the provider pairs with a secret key) from this file')
            [CompletionResult]::new('--client-secret-file', '--client-secret-file', [CompletionResultType]::ParameterName, 'Read the OAuth client secret from this file')
            [CompletionResult]::new('--access-token-file', '--access-token-file', [CompletionResultType]::ParameterName, 'Read a stored access token from this file (checked for still being accepted)')
            [CompletionResult]::new('--merchant-id-file', '--merchant-id-file', [CompletionResultType]::ParameterName, 'Read the merchant id some providers want beside a key (Cybersource) from this file')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a connection')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a whole request')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a TLS-inspecting corporate proxy, a private CA), on top of the system''s roots; else PAYDOCTOR_CA_FILE, else `ca_file` in the config file. Certificates are always verified')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of the checklist')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Send authenticated requests even when the credential and the host belong to different environments')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;webhook' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;webhook;verify' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The provider (default: detected from the headers and body)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider (default: detected from the headers and body)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'The raw body, read byte for byte from this file; `-` or nothing reads a pipe')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A request header, `Name: value` (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, `Name: value` (repeatable)')
            [CompletionResult]::new('--headers', '--headers', [CompletionResultType]::ParameterName, 'A file of `Name: value` lines, a curl -v or --trace-ascii dump, or a captured HTTP request (its body is used when --body is not given)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The URL the provider called (Square signs it; Mercado Pago''s data.id is in its query)')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Also try the secret(s) in this environment variable (comma-separated; repeatable)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Take the provider, environment and `webhook_secret` from a config profile')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Seconds a signed timestamp may be off (default: Stripe 300; Mercado Pago unchecked)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge the timestamp at this Unix time instead of now (a request captured earlier)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'PayPal: the signing certificate (PEM or DER) from the request''s PAYPAL-CERT-URL')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --online: the environment the webhook and app belong to')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'With --online: PayPal''s API at this base URL instead of the documented one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'PayPal: ask PayPal''s verify-webhook-signature endpoint (read-only), with the app''s client id and secret (PAYPAL_CLIENT_ID/PAYPAL_CLIENT_SECRET or --profile)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object (schema_version 1) instead of the report')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;webhook;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;webhook;help;verify' {
            break
        }
        'paydoctor;webhook;help;help' {
            break
        }
        'paydoctor;kb' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate knowledge files and round-trip every sample through the matcher')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries per provider and, with --catalog, the share of each catalog covered')
            [CompletionResult]::new('codes', 'codes', [CompletionResultType]::ParameterValue, 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;kb;check' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--standalone', '--standalone', [CompletionResultType]::ParameterName, 'Check DIR as a whole knowledge base on its own, as `PAYDOCTOR_KB_DIR=DIR cargo build` would embed it, instead of merged over the embedded knowledge')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;kb;stats' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'A folder of `<provider>.tsv` catalogs (code, http_status, kind, ...)')
            [CompletionResult]::new('--min-coverage', '--min-coverage', [CompletionResultType]::ParameterName, 'Exit 1 when a catalog''s coverage is below this percentage')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;kb;codes' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;kb;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate knowledge files and round-trip every sample through the matcher')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries per provider and, with --catalog, the share of each catalog covered')
            [CompletionResult]::new('codes', 'codes', [CompletionResultType]::ParameterValue, 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;kb;help;check' {
            break
        }
        'paydoctor;kb;help;stats' {
            break
        }
        'paydoctor;kb;help;codes' {
            break
        }
        'paydoctor;kb;help;help' {
            break
        }
        'paydoctor;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Show every path paydoctor reads and which rule chose it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file''s profiles (providers, environments, credential sources)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;config;path' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;config;check' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;config;help' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Show every path paydoctor reads and which rule chose it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file''s profiles (providers, environments, credential sources)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;config;help;path' {
            break
        }
        'paydoctor;config;help;check' {
            break
        }
        'paydoctor;config;help;help' {
            break
        }
        'paydoctor;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors: auto honours NO_COLOR and colors only a terminal')
            [CompletionResult]::new('--kb', '--kb', [CompletionResultType]::ParameterName, 'Company knowledge: a folder (or file) in the knowledge/ format laid over the embedded knowledge, adding providers and entries or overriding entries with the same id. Repeatable; PAYDOCTOR_KB (`:`-separated) is read first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'paydoctor;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an error: status and code tokens, or a pasted body, exception or log line')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the providers, or one provider''s entries with their titles and categories')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one entry in full: causes, fixes, docs, samples, and where it came from')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search titles, messages, causes, fixes and codes (typos allowed)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan whole logs (files, .gz, stdin) for payment errors, grouped by root cause')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Live, read-only checks of credentials, OAuth token and environment against the provider')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Verify a webhook''s signature offline and, when it fails, prove why')
            [CompletionResult]::new('kb', 'kb', [CompletionResultType]::ParameterValue, 'Knowledge base tools for authors: validate files, coverage figures')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Where paydoctor looks for its config and company knowledge; validate the config file')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paydoctor;help;explain' {
            break
        }
        'paydoctor;help;list' {
            break
        }
        'paydoctor;help;show' {
            break
        }
        'paydoctor;help;search' {
            break
        }
        'paydoctor;help;scan' {
            break
        }
        'paydoctor;help;probe' {
            break
        }
        'paydoctor;help;webhook' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a webhook request''s signature as the provider signs it; when it fails, find the cause (body re-serialized, wrong secret or kind of secret, other environment, timestamp, URL, signed fields, missing or malformed header)')
            break
        }
        'paydoctor;help;webhook;verify' {
            break
        }
        'paydoctor;help;kb' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate knowledge files and round-trip every sample through the matcher')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries per provider and, with --catalog, the share of each catalog covered')
            [CompletionResult]::new('codes', 'codes', [CompletionResultType]::ParameterValue, 'The knowledge base''s distinctive codes, one per line (a fixed-string list for grep)')
            break
        }
        'paydoctor;help;kb;check' {
            break
        }
        'paydoctor;help;kb;stats' {
            break
        }
        'paydoctor;help;kb;codes' {
            break
        }
        'paydoctor;help;config' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Show every path paydoctor reads and which rule chose it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file''s profiles (providers, environments, credential sources)')
            break
        }
        'paydoctor;help;config;path' {
            break
        }
        'paydoctor;help;config;check' {
            break
        }
        'paydoctor;help;completions' {
            break
        }
        'paydoctor;help;man' {
            break
        }
        'paydoctor;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

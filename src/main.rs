//! paydoctor: a command-line doctor for payment-API errors.
//!
//! `main` stays thin: parse the command line, decide color once, call [`run`], and map its
//! result to an exit status (0 found, 1 nothing found, 2 error; a closed pipe exits quietly).

use clap::{CommandFactory, Parser};
use paydoctor::cli::{Cli, Command};
use paydoctor::exit::Exit;
use paydoctor::{commands, guided, input, knowledge, output, redact};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            print_clap(&e);
            return if e.use_stderr() { Exit::Error.into() } else { Exit::Success.into() };
        }
    };
    output::init_color(cli.color);
    match run(cli) {
        Ok(code) => code.into(),
        Err(e) if is_broken_pipe(&e) => Exit::Success.into(),
        Err(e) => {
            output::note(redact::sanitize(&format!("{e:#}")));
            Exit::Error.into()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    // The embedded knowledge, with company files (--kb, PAYDOCTOR_KB) merged only when named.
    let layers = knowledge::company::Layers::new(&cli.kb);
    match cli.command {
        Some(Command::Explain(args)) => commands::explain::run(&layers.open()?, &args),
        Some(Command::List(args)) => commands::list::run(&layers.open()?, &args),
        Some(Command::Show(args)) => commands::show::run(&layers.open()?, &args),
        Some(Command::Search(args)) => commands::search::run(&layers.open()?, &args),
        Some(Command::Scan(args)) => commands::scan::run(&layers.open()?, &args),
        Some(Command::Probe(args)) => commands::probe::run(&layers.open()?, &args),
        Some(Command::Webhook(cmd)) => commands::webhook::run(&layers.open()?, &cmd),
        Some(Command::Kb(cmd)) => commands::kb::run(&layers, &cmd),
        Some(Command::Config(cmd)) => commands::config::run(&layers, &cli.kb, &cmd),
        Some(Command::Completions { shell }) => commands::generate::completions(shell),
        Some(Command::Man) => commands::generate::man(),
        None if guided::available() => guided::run(&layers.open()?),
        None => {
            // `cat app.log | paydoctor` scans; an empty or absent stdin gets the usage.
            if input::stdin_is_readable() {
                if let Some(exit) = commands::scan::run_piped(&layers.open()?)? {
                    return Ok(exit);
                }
            }
            let mut err = output::stderr();
            writeln!(err, "{}", Cli::command().render_usage())?;
            writeln!(err, "Run `paydoctor --help` for the commands, e.g. `paydoctor explain 412 invalid_token`.")?;
            Ok(Exit::Error)
        }
    }
}

/// clap's help, version and argument errors, through the same redaction as everything else
/// printed (an argument error quotes the value typed, which may be a key).
fn print_clap(e: &clap::Error) {
    use std::io::IsTerminal;
    let to_err = e.use_stderr();
    let tty = if to_err { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let styled = e.render();
    let text = if color { styled.ansi().to_string() } else { styled.to_string() };
    let _ =
        if to_err { output::stderr().write_all(text.as_bytes()) } else { output::stdout().write_all(text.as_bytes()) };
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

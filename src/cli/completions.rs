//! `collectmaxx completions SHELL`: the shell completion script, made by clap_complete from the
//! same definitions as `--help`.

use std::io::Write;

use clap_complete::Shell;
use collectmaxx::delivery::Exit;

#[derive(Debug, clap::Args)]
#[command(
    before_help = "Example:\n  collectmaxx completions bash > ~/.local/share/bash-completion/completions/collectmaxx"
)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl CompletionShell {
    fn shell(self) -> Shell {
        match self {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        }
    }
}

/// Prints the script for `command`, the whole command line's definition.
pub fn run(args: &Args, mut command: clap::Command) -> anyhow::Result<Exit> {
    let mut out = super::pipe::stdout();
    let name = command.get_name().to_string();
    clap_complete::generate(args.shell.shell(), &mut command, name, &mut out);
    out.flush()?;
    Ok(Exit::Ok)
}

/// The script for `shell`, as text (for the tests and the package build).
#[cfg(test)]
pub fn script(shell: CompletionShell, mut command: clap::Command) -> String {
    let mut out = Vec::new();
    let name = command.get_name().to_string();
    clap_complete::generate(shell.shell(), &mut command, name, &mut out);
    String::from_utf8(out).unwrap()
}

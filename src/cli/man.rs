//! `collectmaxx man`: manual pages made by clap_mangen from the same definitions as `--help`,
//! with the example that opens each command's `--help` as their EXAMPLE section.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap_mangen::Man;
use collectmaxx::delivery::Exit;

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx man --out-dir /usr/local/share/man/man1")]
pub struct Args {
    /// The command whose page to print, e.g. `convert` or `history list` [default: the page
    /// of collectmaxx itself].
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Write the pages of every command into this directory instead (collectmaxx.1,
    /// collectmaxx-convert.1, collectmaxx-history-list.1, ...); it is created if missing.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out_dir: Option<PathBuf>,
}

/// Prints one page, or writes them all, for `command`, the whole command line's definition.
pub fn run(args: &Args, command: clap::Command) -> anyhow::Result<Exit> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let written = write_all(&command, dir)?;
        eprintln!(
            "collectmaxx: {written} manual pages written to {}",
            dir.display()
        );
        return Ok(Exit::Ok);
    }
    let mut page = &command;
    for name in &args.command {
        page = page.find_subcommand(name).with_context(|| {
            format!("no command '{name}': `collectmaxx --help` lists the commands")
        })?;
    }
    let mut out = super::pipe::stdout();
    out.write_all(&render(page)?)?;
    out.flush()?;
    Ok(Exit::Ok)
}

/// Writes the pages of `command` and its subcommands into `dir`; returns how many.
fn write_all(command: &clap::Command, dir: &Path) -> anyhow::Result<usize> {
    let mut written = 0;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        written += write_all(sub, dir)?;
    }
    let name = Man::new(command.clone()).get_filename();
    let path = dir.join(name);
    std::fs::write(&path, render(command)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(written + 1)
}

/// One page: clap_mangen's, with an EXAMPLE section after the description.
pub fn render(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = Man::new(command.clone())
        .source(format!("collectmaxx {}", env!("CARGO_PKG_VERSION")))
        .manual("collectmaxx manual");
    let mut page = Vec::new();
    man.render(&mut page)?;
    let Some(example) = command.get_before_help() else {
        return Ok(page);
    };
    let mut section = String::from(".SH EXAMPLE\n.nf\n");
    for line in example.to_string().lines().skip(1) {
        section.push_str(&roff_line(line.trim_start()));
        section.push('\n');
    }
    section.push_str(".fi\n");
    let text = String::from_utf8_lossy(&page).into_owned();
    // Right after the description: before the section that follows it, if any.
    let after = text.find(".SH DESCRIPTION").unwrap_or(0);
    let at = text[after..]
        .find("\n.SH ")
        .map_or(text.len(), |n| after + n + 1);
    Ok([&text[..at], &section, &text[at..]].concat().into_bytes())
}

/// A line of text for roff: backslashes and hyphens escaped, no leading control character.
fn roff_line(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    match escaped.starts_with(['.', '\'']) {
        true => format!("\\&{escaped}"),
        false => escaped,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::super::completions::{script, CompletionShell};
    use super::super::Cli;
    use super::*;

    /// Every command of the definition with its path (`["history", "list"]`), the top one
    /// first: taken from clap, so a command added later is checked too.
    fn commands() -> Vec<(Vec<String>, clap::Command)> {
        fn walk(c: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
            out.push((path.clone(), c.clone()));
            for sub in c.get_subcommands().filter(|s| s.get_name() != "help") {
                let mut p = path.clone();
                p.push(sub.get_name().to_string());
                walk(sub, p, out);
            }
        }
        let mut cmd = Cli::command().disable_help_subcommand(true);
        cmd.build();
        let mut out = Vec::new();
        walk(&cmd, Vec::new(), &mut out);
        out
    }

    #[test]
    fn every_commands_help_opens_with_an_example_of_that_command() {
        let all = commands();
        assert!(all.len() >= 12, "{}", all.len());
        for (path, mut c) in all {
            let help = c.render_help().to_string();
            let mut lines = help.lines();
            assert_eq!(lines.next(), Some("Example:"), "{path:?}:\n{help}");
            let example = lines.next().unwrap_or_default();
            let own = ["collectmaxx".to_string()].into_iter().chain(path.clone());
            let own = own.collect::<Vec<_>>().join(" ");
            assert!(
                example.trim_start().starts_with(&own),
                "{path:?}: the example '{example}' is not of `{own}`"
            );
        }
    }

    #[test]
    fn the_completion_scripts_mention_every_subcommand() {
        let all = commands();
        for shell in [
            CompletionShell::Bash,
            CompletionShell::Zsh,
            CompletionShell::Fish,
            CompletionShell::Powershell,
        ] {
            let text = script(shell, Cli::command());
            assert!(text.len() > 1000, "{shell:?}");
            for (path, _) in &all[1..] {
                let name = path.last().unwrap();
                assert!(text.contains(name.as_str()), "{shell:?} lacks {path:?}");
            }
            // Flags too, and the values of a value enum.
            assert!(
                text.contains("services") && text.contains("junit"),
                "{shell:?}"
            );
        }
    }

    #[test]
    fn a_manual_page_per_command_each_with_its_example() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Cli::command().disable_help_subcommand(true);
        cmd.build();
        let written = write_all(&cmd, dir.path()).unwrap();
        let all = commands();
        assert_eq!(written, all.len());
        for (path, _) in &all {
            let name = ["collectmaxx".to_string()].into_iter().chain(path.clone());
            let file = dir
                .path()
                .join(format!("{}.1", name.collect::<Vec<_>>().join("-")));
            let page = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
            assert!(page.contains(".SH EXAMPLE\n.nf\ncollectmaxx"), "{file:?}");
            assert!(
                page.starts_with(".ie") && page.contains(".TH collectmaxx"),
                "{file:?}"
            );
        }
        // The main page lists every command.
        let main = std::fs::read_to_string(dir.path().join("collectmaxx.1")).unwrap();
        for (path, _) in all.iter().filter(|(p, _)| p.len() == 1) {
            assert!(
                main.contains(&format!("{}(1)", ["collectmaxx", &path[0]].join("\\-"))),
                "{path:?}"
            );
        }
    }

    #[test]
    fn the_readme_command_table_lists_every_command() {
        let readme = include_str!("../../README.md");
        let section = readme.split("\n## Commands\n").nth(1).unwrap();
        // The table: its lines from the first `|` to the first line that is not one.
        let table: Vec<&str> = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .collect();
        for (path, _) in commands().iter().filter(|(p, _)| p.len() == 1) {
            let row = format!("| `collectmaxx {}", path[0]);
            let listed = table.iter().any(|l| {
                l.strip_prefix(&row)
                    .is_some_and(|rest| rest.starts_with([' ', '`']))
            });
            assert!(listed, "README's command table lacks `{}`", path[0]);
        }
    }

    #[test]
    fn roff_text_is_escaped() {
        assert_eq!(roff_line("a-b \\x"), "a\\-b \\ex");
        assert_eq!(roff_line(".hidden"), "\\&.hidden");
    }
}

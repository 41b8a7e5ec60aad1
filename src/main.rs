use std::process::ExitCode;

fn main() -> ExitCode {
    collectmaxx::cli::main()
}

use std::process::ExitCode;

fn main() -> ExitCode {
    shouwang::cli::run()
}
